//===- Metrics.cpp - per-epoch metrics files (dlrun --metrics) ------------===//

#include "report/Metrics.h"

#include "support/FileIO.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dlc {
namespace runtime {

namespace {
std::string lower(std::string s) {
  for (char &c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20 || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c); // UTF-8 passes through
      }
    }
  }
  return out + "\"";
}

std::string jsonNumber(double v) {
  return std::isfinite(v) ? formatShortest(v) : "null";
}
} // namespace

std::string formatShortest(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  char buf[64];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

bool checkWritableDirectory(const std::string &path, std::string &error) {
  std::string dir = directoryOf(path);
  if (access(dir.c_str(), W_OK) != 0) {
    error = path + ": cannot write to directory " + dir;
    return false;
  }
  return true;
}

bool MetricsWriter::formatOf(const std::string &path, Format &format,
                             std::string &error) {
  std::string base = fileNameOf(path);
  size_t dot = base.rfind('.');
  std::string ext = dot == std::string::npos || dot == 0
                        ? ""
                        : lower(base.substr(dot));
  if (ext == ".csv") {
    format = Format::Csv;
    return true;
  }
  if (ext == ".json") {
    format = Format::Json;
    return true;
  }
  error = "--metrics " + path + ": " +
          (ext.empty() ? std::string("no file extension")
                       : "unknown extension '" + ext + "'") +
          "; name a .csv or .json file (the extension picks the format)";
  return false;
}

const char *MetricsWriter::csvHeader() {
  return "epoch,train_loss,train_acc,test_loss,test_acc,seconds,"
         "examples_per_s\n";
}

std::string MetricsWriter::csvRow(const EpochRecord &rec) {
  const EpochResult &r = rec.result;
  return std::to_string(rec.epoch) + "," + formatShortest(r.loss) + "," +
         formatShortest(r.trainAccuracy) + "," + formatShortest(r.testLoss) +
         "," + formatShortest(r.testAccuracy) + "," +
         formatShortest(r.seconds) + "," +
         formatShortest(r.examplesPerSecond()) + "\n";
}

std::string MetricsWriter::json(const RunInfo &run,
                                const std::vector<EpochRecord> &records) {
  std::string out = "{\n";
  out += "  \"model\": " + jsonString(run.model) + ",\n";
  out += "  \"plan\": " + jsonString(run.plan) + ",\n";
  out += "  \"data\": " + jsonString(run.data) + ",\n";
  out += "  \"lr\": " + jsonNumber(run.lr) + ",\n";
  out += "  \"weight_decay\": " + jsonNumber(run.weightDecay) + ",\n";
  out += "  \"momentum\": " + jsonNumber(run.momentum) + ",\n";
  out += "  \"batch\": " + std::to_string(run.batch) + ",\n";
  out += "  \"limit_train\": " +
         (run.limitTrain > 0 ? std::to_string(run.limitTrain) : "null") +
         ",\n";
  out += "  \"seed\": " + std::to_string(run.seed) + ",\n";
  out += "  \"planned_epochs\": " + std::to_string(run.epochs) + ",\n";
  out += "  \"epochs\": [";
  for (size_t i = 0; i < records.size(); ++i) {
    const EpochResult &r = records[i].result;
    out += i ? ",\n    " : "\n    ";
    out += "{\"epoch\": " + std::to_string(records[i].epoch) +
           ", \"train_loss\": " + jsonNumber(r.loss) +
           ", \"train_acc\": " + jsonNumber(r.trainAccuracy) +
           ", \"test_loss\": " + jsonNumber(r.testLoss) +
           ", \"test_acc\": " + jsonNumber(r.testAccuracy) +
           ", \"seconds\": " + jsonNumber(r.seconds) +
           ", \"examples_per_s\": " + jsonNumber(r.examplesPerSecond()) + "}";
  }
  out += records.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::unique_ptr<MetricsWriter> MetricsWriter::create(const std::string &path,
                                                     const RunInfo &run,
                                                     std::string &error) {
  Format format;
  if (!formatOf(path, format, error))
    return nullptr;
  std::unique_ptr<MetricsWriter> writer(new MetricsWriter(path, format, run));
  if (format == Format::Json) {
    if (!writeFileAtomically(path, json(run, {}), /*durable=*/false, error))
      return nullptr;
    return writer;
  }
  writer->csv = std::fopen(path.c_str(), "w");
  if (!writer->csv) {
    error = path + ": " + std::strerror(errno);
    return nullptr;
  }
  if (std::fputs(csvHeader(), writer->csv) < 0 ||
      std::fflush(writer->csv) != 0) {
    error = path + ": cannot write: " + std::strerror(errno);
    return nullptr;
  }
  return writer;
}

MetricsWriter::~MetricsWriter() {
  if (csv)
    std::fclose(csv);
}

bool MetricsWriter::append(const EpochRecord &record, std::string &error) {
  history.push_back(record);
  if (format == Format::Json)
    return writeFileAtomically(path, json(run, history), /*durable=*/false, error);
  // One write of the whole row, flushed: a killed run loses no finished
  // epoch and leaves no half row behind.
  std::string row = csvRow(record);
  if (std::fwrite(row.data(), 1, row.size(), csv) != row.size() ||
      std::fflush(csv) != 0) {
    error = path + ": cannot write: " + std::strerror(errno);
    return false;
  }
  return true;
}

} // namespace runtime
} // namespace dlc
