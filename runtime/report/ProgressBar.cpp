//===- ProgressBar.cpp - dlrun's in-place progress line -------------------===//

#include "report/ProgressBar.h"

#include "support/FileIO.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace dlc {
namespace runtime {

namespace {
// What the signal handler needs to erase the line: one bar per process.
volatile sig_atomic_t drawnFd = -1;
volatile sig_atomic_t drawnLength = 0;

void eraseLine(int fd, int length) {
  // Async-signal-safe: a fixed buffer and write(2).
  char blanks[256];
  blanks[0] = '\r';
  int n = std::min<int>(length, static_cast<int>(sizeof blanks) - 2);
  for (int i = 1; i <= n; ++i)
    blanks[i] = ' ';
  blanks[n + 1] = '\r';
  (void)writeAll(fd, blanks, static_cast<size_t>(n) + 2);
}

extern "C" void eraseAndReraise(int sig) {
  int savedErrno = errno;
  if (drawnFd >= 0 && drawnLength > 0)
    eraseLine(drawnFd, drawnLength);
  signal(sig, SIG_DFL);
  raise(sig);
  errno = savedErrno;
}

int terminalWidth(int fd) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}
} // namespace

ProgressBar::ProgressBar(int fd, int width, double delaySeconds)
    : fd(fd), width(width), delay(delaySeconds) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::startEpoch(int64_t e, int64_t total) {
  clear();
  epoch = e;
  epochs = total;
}

std::string ProgressBar::format(const StepProgress &p, int64_t epoch,
                                int64_t epochs, int width) {
  char buf[256];
  std::string line;
  if (epochs > 0) {
    std::snprintf(buf, sizeof buf, "Epoch %lld/%lld ",
                  static_cast<long long>(epoch),
                  static_cast<long long>(epochs));
    line += buf;
  }
  line += p.phase == StepProgress::Train ? "train " : "test  ";
  constexpr int BarWidth = 20;
  int filled = p.total > 0 ? static_cast<int>(BarWidth * p.done / p.total)
                           : 0;
  filled = std::clamp(filled, 0, BarWidth);
  line += '[';
  for (int i = 0; i < BarWidth; ++i)
    line += i < filled ? '=' : (i == filled ? '>' : ' ');
  line += "] ";
  int digits = std::snprintf(buf, sizeof buf, "%lld",
                             static_cast<long long>(p.total));
  std::snprintf(buf, sizeof buf, "%*lld/%lld", digits,
                static_cast<long long>(p.done),
                static_cast<long long>(p.total));
  line += buf;
  if (p.phaseSeconds > 0) {
    std::snprintf(buf, sizeof buf, ", %.0f ex/s",
                  static_cast<double>(p.examples) / p.phaseSeconds);
    line += buf;
  }
  if (p.phase == StepProgress::Train && p.done > 0) {
    std::snprintf(buf, sizeof buf, ", loss %.4f", p.runningLoss);
    line += buf;
  }
  // Leave the last column free: some terminals wrap on writing it.
  size_t limit = static_cast<size_t>(std::max(width - 1, 0));
  if (line.size() > limit)
    line.resize(limit);
  return line;
}

void ProgressBar::update(const StepProgress &p) {
  if (p.epochSeconds < delay)
    return;
  int columns = width > 0 ? width : terminalWidth(fd);
  std::string line = format(p, epoch, epochs, columns);
  std::string out = "\r" + line;
  // Blank what a longer previous line left behind.
  int drawn = drawnLength, length = static_cast<int>(line.size());
  if (length < drawn)
    out.append(static_cast<size_t>(drawn - length), ' ');
  drawnFd = fd;
  drawnLength = std::max(drawn, length);
  (void)writeAll(fd, out.data(), out.size());
}

void ProgressBar::clear() {
  if (drawnFd == fd && drawnLength > 0) {
    eraseLine(fd, drawnLength);
    drawnLength = 0;
  }
}

void ProgressBar::eraseOnSignal() {
  struct sigaction action = {};
  action.sa_handler = eraseAndReraise;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

} // namespace runtime
} // namespace dlc
