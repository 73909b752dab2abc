//===- Metrics.h - per-epoch metrics files (dlrun --metrics) ----*- C++ -*-===//
//
// One record per epoch, written as training goes, so that an interrupted run
// keeps its history:
//
//   FILE.csv   header "epoch,train_loss,train_acc,test_loss,test_acc,
//              seconds,examples_per_s", then one row per epoch, appended and
//              flushed at the end of each epoch.
//   FILE.json  {"model": ..., "plan": ..., "data": ..., "lr": ...,
//              "weight_decay": ..., "momentum": ..., "batch": ...,
//              "limit_train": N or null, "seed": ..., "planned_epochs": ...,
//              "epochs": [{"epoch": 1, "train_loss": ..., ...}, ...]},
//              rewritten atomically (temporary file + rename) after each
//              epoch, so it is valid JSON at every moment.
//
// Numbers are written in the shortest form that reads back as the same
// double (std::to_chars), so a file holds exactly what dlrun computed; the
// epoch line printed on stdout is these values rounded (%.4f, %.2f). A
// non-finite value (a diverged loss) is "nan"/"inf" in CSV and null in JSON.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_REPORT_METRICS_H
#define DLC_RUNTIME_REPORT_METRICS_H

#include "train/Trainer.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace dlc {
namespace runtime {

/// What a run is: the plan and its hyper-parameters (for file headers and
/// plot titles).
struct RunInfo {
  std::string model; // the plan's model name
  std::string plan;  // the plan's path as given
  std::string data;  // the data directory
  double lr = 0, weightDecay = 0, momentum = 0;
  int64_t batch = 0;
  int64_t limitTrain = 0; // 0: the whole training set
  uint64_t seed = 0;
  int64_t epochs = 0; // planned
};

struct EpochRecord {
  int64_t epoch = 0; // 1-based
  EpochResult result;
};

/// The shortest decimal form of `value` that reads back as the same double
/// ("nan", "inf", "-inf" for non-finite values).
std::string formatShortest(double value);

/// Fails with a one-line error if `path` is not in a writable directory.
bool checkWritableDirectory(const std::string &path, std::string &error);

class MetricsWriter {
public:
  enum class Format { Csv, Json };

  /// The format `path` asks for by its extension (.csv or .json, any case).
  static bool formatOf(const std::string &path, Format &format,
                       std::string &error);

  /// Creates `path` now (the CSV header, or JSON with no epochs yet), so an
  /// unwritable target is refused before training.
  static std::unique_ptr<MetricsWriter> create(const std::string &path,
                                               const RunInfo &run,
                                               std::string &error);
  ~MetricsWriter();

  /// Records one finished epoch and writes it out.
  bool append(const EpochRecord &record, std::string &error);

  const std::vector<EpochRecord> &records() const { return history; }

  /// The whole JSON document for `run` and `records` (what FILE.json holds).
  static std::string json(const RunInfo &run,
                          const std::vector<EpochRecord> &records);
  static const char *csvHeader();
  static std::string csvRow(const EpochRecord &record);

private:
  MetricsWriter(std::string path, Format format, const RunInfo &run)
      : path(std::move(path)), format(format), run(run) {}

  std::string path;
  Format format;
  RunInfo run;
  std::FILE *csv = nullptr;
  std::vector<EpochRecord> history;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_REPORT_METRICS_H
