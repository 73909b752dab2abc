//===- ProgressBar.h - dlrun's in-place progress line -----------*- C++ -*-===//
//
// On a terminal, an epoch that runs longer than a second shows one line on
// stderr, redrawn in place with '\r':
//
//   Epoch 3/150 train [=========>          ] 120/235, 23456 ex/s, loss 0.4213
//   Epoch 3/150 test  [====>               ]  20/40, 45678 ex/s
//
// and erased (spaces, then '\r') before the epoch's line is printed. Plain
// ASCII, no escape sequences; the line is cut to the terminal's width so it
// never wraps. The bar draws only what it is handed: Trainer limits the
// updates to about ten a second. Whether to draw at all (stderr a terminal)
// is the caller's decision.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_REPORT_PROGRESSBAR_H
#define DLC_RUNTIME_REPORT_PROGRESSBAR_H

#include "train/Trainer.h"

#include <cstdint>
#include <string>

namespace dlc {
namespace runtime {

class ProgressBar {
public:
  /// Draws on `fd`, at most `width` columns (0: ask the terminal, else 80),
  /// for epochs lasting more than `delaySeconds`.
  explicit ProgressBar(int fd, int width = 0, double delaySeconds = 1.0);
  ~ProgressBar();

  /// Starts epoch `epoch` of `epochs` (0 for an evaluation on its own).
  void startEpoch(int64_t epoch, int64_t epochs);
  /// Redraws the line (once the epoch has run past the delay).
  void update(const StepProgress &progress);
  /// Erases the line if one is drawn.
  void clear();

  /// The text of the line, without '\r' or padding, at most `width` chars.
  static std::string format(const StepProgress &progress, int64_t epoch,
                            int64_t epochs, int width);

  /// Installs SIGINT/SIGTERM handlers that erase a drawn line before the
  /// default action, so an interrupted run leaves a clean terminal.
  static void eraseOnSignal();

private:
  int fd, width;
  double delay;
  int64_t epoch = 0, epochs = 0;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_REPORT_PROGRESSBAR_H
