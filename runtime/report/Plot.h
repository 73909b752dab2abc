//===- Plot.h - training curves as SVG (dlrun --plot) -----------*- C++ -*-===//
//
// Draws train and test loss (top panel) and train and test accuracy (bottom
// panel) against the epoch, in one SVG picture titled with the model name
// and the hyper-parameters. The drawing is done by gnuplot (Debian
// gnuplot-nox), fed a script with the data inline through a pipe; the SVG
// is written to a temporary file next to the target and renamed over it.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_REPORT_PLOT_H
#define DLC_RUNTIME_REPORT_PLOT_H

#include "report/Metrics.h"

#include <string>
#include <vector>

namespace dlc {
namespace runtime {

/// The plot's title: "MODEL: lr X, weight decay X, momentum X, batch N"
/// and ", limit-train N" when the training set was limited.
std::string plotTitle(const RunInfo &run);

/// The gnuplot script that draws `records` into `svgPath`.
std::string gnuplotScript(const RunInfo &run,
                          const std::vector<EpochRecord> &records,
                          const std::string &svgPath);

/// The gnuplot executable on PATH; empty with a one-line error if none.
std::string findGnuplot(std::string &error);

/// Checks, before training, that `svgPath` can be plotted: a .svg name in
/// a writable directory and gnuplot installed.
bool checkPlotTarget(const std::string &svgPath, std::string &error);

/// Draws `records` into `svgPath` with gnuplot. One-line error on failure
/// (gnuplot missing, or its first error message).
bool writePlot(const RunInfo &run, const std::vector<EpochRecord> &records,
               const std::string &svgPath, std::string &error);

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_REPORT_PLOT_H
