//===- Plot.cpp - training curves as SVG (dlrun --plot) -------------------===//

#include "report/Plot.h"

#include "support/FileIO.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace dlc {
namespace runtime {

namespace {
std::string formatG(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// A gnuplot single-quoted string: no escapes, '' stands for '.
std::string quote(const std::string &s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += '\'';
    // A newline would end the command; nothing we quote needs one.
    out += c == '\n' ? ' ' : c;
  }
  return out + "'";
}

/// Data value for gnuplot; "?" (declared missing) for non-finite values.
std::string value(double v) { return std::isfinite(v) ? formatShortest(v) : "?"; }

/// An x tic step from 1, 2, 5, 10, 20, 50, ... giving at most 10 tics.
int64_t ticStep(int64_t epochs) {
  int64_t step = 1;
  for (int64_t scale = 1;; scale *= 10)
    for (int64_t m : {1, 2, 5}) {
      step = m * scale;
      if (epochs / step <= 10)
        return step;
    }
}

/// The last non-blank line of what `fd` (a file) holds, trimmed.
std::string lastLineOf(int fd) {
  std::string text;
  char buf[4096];
  if (lseek(fd, 0, SEEK_SET) == 0) {
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < (1u << 16))
      text.append(buf, static_cast<size_t>(n));
  }
  std::string last;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos)
      end = text.size();
    std::string line = text.substr(pos, end - pos);
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos) {
      size_t lastChar = line.find_last_not_of(" \t\r");
      last = line.substr(first, lastChar - first + 1);
    }
    pos = end + 1;
  }
  for (char &c : last)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = '?';
  return last;
}

/// Runs `gnuplot` with `script` on its standard input. Its output goes to
/// an anonymous file, read back for the error message.
bool runGnuplot(const std::string &gnuplot, const std::string &script,
                std::string &error) {
  std::FILE *log = std::tmpfile();
  if (!log) {
    error = std::string("--plot: cannot create a temporary file: ") +
            std::strerror(errno);
    return false;
  }
  int logFd = fileno(log);
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    error = std::string("--plot: pipe: ") + std::strerror(errno);
    std::fclose(log);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, logFd, 1);
  posix_spawn_file_actions_adddup2(&actions, logFd, 2);
  char arg0[] = "gnuplot";
  char *argv[] = {arg0, nullptr};
  pid_t pid;
  int spawned =
      posix_spawn(&pid, gnuplot.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  if (spawned != 0) {
    ::close(in[1]);
    std::fclose(log);
    error = "--plot: cannot run " + gnuplot + ": " + std::strerror(spawned);
    return false;
  }
  // gnuplot may exit early on an error: a write to its closed pipe must
  // fail with EPIPE, not kill dlrun.
  struct sigaction ignore = {}, previous;
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  (void)writeAll(in[1], script.data(), script.size());
  ::close(in[1]);
  sigaction(SIGPIPE, &previous, nullptr);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) {
    std::string message = lastLineOf(logFd);
    error = "--plot: gnuplot failed" +
            (message.empty() ? std::string() : ": " + message);
  }
  std::fclose(log);
  return ok;
}
} // namespace

std::string plotTitle(const RunInfo &run) {
  std::string title = run.model + ": lr " + formatG(run.lr) +
                      ", weight decay " + formatG(run.weightDecay) +
                      ", momentum " + formatG(run.momentum) + ", batch " +
                      std::to_string(run.batch);
  if (run.limitTrain > 0)
    title += ", limit-train " + std::to_string(run.limitTrain);
  return title;
}

std::string gnuplotScript(const RunInfo &run,
                          const std::vector<EpochRecord> &records,
                          const std::string &svgPath) {
  int64_t last = records.empty() ? 1 : records.back().epoch;
  int64_t first = records.empty() ? 1 : records.front().epoch;
  // Points mark the epochs while there are few enough to tell apart.
  auto style = [&](int lineStyle) {
    std::string ls = " ls " + std::to_string(lineStyle);
    return records.size() <= 40 ? "linespoints" + ls + " pt 7 ps 0.6"
                                : "lines" + ls;
  };
  std::string s;
  s += "set terminal svg size 900,760 noenhanced font 'sans-serif,13' "
       "background '#ffffff'\n";
  s += "set output " + quote(svgPath) + "\n";
  s += "set datafile missing '?'\n";
  s += "$metrics << EOD\n";
  for (const EpochRecord &r : records)
    s += std::to_string(r.epoch) + " " + value(r.result.loss) + " " +
         value(r.result.trainAccuracy) + " " + value(r.result.testLoss) +
         " " + value(r.result.testAccuracy) + "\n";
  s += "EOD\n";
  if (first == last)
    s += "set xrange [" + std::to_string(first - 1) + ":" +
         std::to_string(last + 1) + "]\n";
  else
    s += "set xrange [" + std::to_string(first) + ":" + std::to_string(last) +
         "]\n";
  // Minor tics mark single epochs while the major ones are a few apart.
  int64_t step = ticStep(last - first + 1);
  s += "set xtics " + std::to_string(step) + "\n";
  s += step == 1 ? "unset mxtics\n"
                 : "set mxtics" + (step <= 5 ? " " + std::to_string(step)
                                             : std::string()) + "\n";
  s += "set grid xtics ytics lc rgb '#d0d0d0' lw 1 dt 1\n";
  s += "set border 3\nset tics nomirror out\n";
  s += "set key outside right top vertical Left reverse samplen 2.5\n";
  s += "set lmargin 10\nset rmargin 16\n";
  s += "set style line 1 lc rgb '#1f77b4' lw 2.5\n"; // train: blue
  s += "set style line 2 lc rgb '#d62728' lw 2.5\n"; // test: red
  s += "set multiplot layout 2,1 title " + quote(plotTitle(run)) +
       " font 'sans-serif,15'\n";
  s += "set ylabel 'loss'\nset xlabel 'epoch'\n";
  s += "set yrange [0:*]\n";
  s += "set format y '%g'\n";
  s += "plot $metrics using 1:2 with " + style(1) +
       " title 'train loss', \\\n     $metrics using 1:4 with " + style(2) +
       " title 'test loss'\n";
  s += "set ylabel 'accuracy'\n";
  s += "set yrange [*:*]\n";
  s += "plot $metrics using 1:3 with " + style(1) +
       " title 'train acc', \\\n     $metrics using 1:5 with " + style(2) +
       " title 'test acc'\n";
  s += "unset multiplot\nunset output\n";
  return s;
}

std::string findGnuplot(std::string &error) {
  const char *path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t pos = 0;
  while (pos <= dirs.size()) {
    size_t end = dirs.find(':', pos);
    if (end == std::string::npos)
      end = dirs.size();
    std::string dir = dirs.substr(pos, end - pos);
    std::string candidate = (dir.empty() ? "." : dir) + "/gnuplot";
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0)
      return candidate;
    pos = end + 1;
  }
  error = "--plot needs gnuplot, which is not installed (not on PATH); "
          "install it (Debian: apt-get install gnuplot-nox) or leave out "
          "--plot";
  return "";
}

bool checkPlotTarget(const std::string &svgPath, std::string &error) {
  size_t slash = svgPath.rfind('/');
  std::string base =
      slash == std::string::npos ? svgPath : svgPath.substr(slash + 1);
  std::string ext = base.size() > 4 ? base.substr(base.size() - 4) : "";
  for (char &c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".svg") {
    error = "--plot " + svgPath + ": the picture is SVG; name a .svg file";
    return false;
  }
  if (!checkWritableDirectory(svgPath, error))
    return false;
  return !findGnuplot(error).empty();
}

bool writePlot(const RunInfo &run, const std::vector<EpochRecord> &records,
               const std::string &svgPath, std::string &error) {
  if (records.empty()) {
    error = "--plot " + svgPath + ": no epoch to plot";
    return false;
  }
  std::string gnuplot = findGnuplot(error);
  if (gnuplot.empty())
    return false;
  // gnuplot writes a temporary file next to the target, renamed over it
  // once complete: the target is never a half-drawn picture.
  size_t slash = svgPath.rfind('/');
  std::string dir = slash == std::string::npos
                        ? "."
                        : (slash == 0 ? "/" : svgPath.substr(0, slash));
  std::string base =
      slash == std::string::npos ? svgPath : svgPath.substr(slash + 1);
  std::string tmpl = dir + "/." + base + ".tmp.XXXXXX";
  std::vector<char> tmp(tmpl.begin(), tmpl.end());
  tmp.push_back('\0');
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    error = svgPath + ": cannot create a temporary file in " + dir + ": " +
            std::strerror(errno);
    return false;
  }
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  ::close(fd);
  std::string tmpPath = tmp.data();
  bool ok = runGnuplot(gnuplot, gnuplotScript(run, records, tmpPath), error);
  struct stat st;
  if (ok && (stat(tmpPath.c_str(), &st) != 0 || st.st_size == 0)) {
    error = "--plot: gnuplot wrote nothing to " + svgPath;
    ok = false;
  }
  if (ok && std::rename(tmpPath.c_str(), svgPath.c_str()) != 0) {
    error = svgPath + ": cannot write: " + std::strerror(errno);
    ok = false;
  }
  if (!ok)
    ::unlink(tmpPath.c_str());
  return ok;
}

} // namespace runtime
} // namespace dlc
