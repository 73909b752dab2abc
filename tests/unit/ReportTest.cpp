//===- ReportTest.cpp - metrics files, plot script, progress line ---------===//

#include "ToyPlan.h"

#include "report/Metrics.h"
#include "report/Plot.h"
#include "report/ProgressBar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <unistd.h>

using namespace dlc::runtime;
using namespace dlc::test;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

EpochRecord record(int64_t epoch, double loss, double trainAcc,
                   double testLoss, double testAcc) {
  EpochRecord r;
  r.epoch = epoch;
  r.result.loss = loss;
  r.result.trainAccuracy = trainAcc;
  r.result.testLoss = testLoss;
  r.result.testAccuracy = testAcc;
  r.result.seconds = 0.5;
  r.result.trainSeconds = 0.25;
  r.result.examples = 1000;
  return r;
}

RunInfo runInfo() {
  RunInfo run;
  run.model = "mlp_overfit";
  run.plan = "mlp.plan";
  run.data = "data";
  run.lr = 0.1;
  run.weightDecay = 0.005;
  run.batch = 100;
  run.limitTrain = 1000;
  run.epochs = 150;
  return run;
}

TEST(Report, ShortestNumbersReadBackExactly) {
  for (double v : {0.1, 1.0 / 3, 0.842, 1e-300, 12345.678, 0.0, -2.5}) {
    std::string s = formatShortest(v);
    EXPECT_EQ(std::strtod(s.c_str(), nullptr), v) << s;
  }
  EXPECT_EQ(formatShortest(0.842), "0.842");
  EXPECT_EQ(formatShortest(3), "3");
  EXPECT_EQ(formatShortest(std::nan("")), "nan");
  EXPECT_EQ(formatShortest(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(Report, MetricsFormatFromTheExtension) {
  MetricsWriter::Format f;
  std::string error;
  ASSERT_TRUE(MetricsWriter::formatOf("a/b.csv", f, error));
  EXPECT_EQ(f, MetricsWriter::Format::Csv);
  ASSERT_TRUE(MetricsWriter::formatOf("run.v2.JSON", f, error));
  EXPECT_EQ(f, MetricsWriter::Format::Json);
  EXPECT_FALSE(MetricsWriter::formatOf("run.tsv", f, error));
  EXPECT_EQ(error, "--metrics run.tsv: unknown extension '.tsv'; name a "
                   ".csv or .json file (the extension picks the format)");
  EXPECT_FALSE(MetricsWriter::formatOf("dir.csv/run", f, error));
  EXPECT_TRUE(contains(error, "no file extension"));
}

TEST(Report, CsvAndJsonRecords) {
  EpochRecord r = record(3, 0.25, 0.842, 0.5, 0.8125);
  EXPECT_EQ(MetricsWriter::csvRow(r), "3,0.25,0.842,0.5,0.8125,0.5,4000\n");
  RunInfo run = runInfo();
  run.model = "a \"quoted\"\nname";
  EpochRecord diverged = record(4, std::nan(""), 0.1,
                                std::numeric_limits<double>::infinity(), 0.1);
  std::string json = MetricsWriter::json(run, {r, diverged});
  EXPECT_TRUE(contains(json, R"("model": "a \"quoted\"\nname")")) << json;
  EXPECT_TRUE(contains(json, R"("limit_train": 1000)"));
  EXPECT_TRUE(contains(json, R"({"epoch": 3, "train_loss": 0.25, )"
                             R"("train_acc": 0.842, "test_loss": 0.5, )"
                             R"("test_acc": 0.8125, "seconds": 0.5, )"
                             R"("examples_per_s": 4000})"))
      << json;
  EXPECT_TRUE(contains(json, R"("train_loss": null)"));
  EXPECT_TRUE(contains(json, R"("test_loss": null)"));
  std::string empty = MetricsWriter::json(run, {});
  EXPECT_EQ(empty.substr(empty.size() - 15), "\"epochs\": []\n}\n");
}

TEST(Report, WritersKeepTheFileCompleteAfterEachEpoch) {
  std::string dir = makeTempDir("report");
  std::string error;
  auto csv = MetricsWriter::create(dir + "/m.csv", runInfo(), error);
  ASSERT_NE(csv, nullptr) << error;
  EXPECT_EQ(slurp(dir + "/m.csv"), MetricsWriter::csvHeader());
  ASSERT_TRUE(csv->append(record(1, 1, 0.5, 1.5, 0.4), error)) << error;
  EXPECT_EQ(slurp(dir + "/m.csv"),
            std::string(MetricsWriter::csvHeader()) +
                "1,1,0.5,1.5,0.4,0.5,4000\n");

  auto json = MetricsWriter::create(dir + "/m.json", runInfo(), error);
  ASSERT_NE(json, nullptr) << error;
  EXPECT_EQ(slurp(dir + "/m.json"), MetricsWriter::json(runInfo(), {}));
  ASSERT_TRUE(json->append(record(1, 1, 0.5, 1.5, 0.4), error));
  ASSERT_TRUE(json->append(record(2, 0.5, 0.7, 1.0, 0.6), error));
  EXPECT_EQ(slurp(dir + "/m.json"),
            MetricsWriter::json(runInfo(), json->records()));
  EXPECT_EQ(json->records().size(), 2u);
  // Only the two files: no temporary file left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir),
                          fs::directory_iterator()),
            2);

  EXPECT_EQ(MetricsWriter::create(dir + "/none/m.json", runInfo(), error),
            nullptr);
  EXPECT_TRUE(contains(error, dir + "/none/m.json: cannot create"));
  fs::remove_all(dir);
}

TEST(Report, PlotTitleAndScript) {
  RunInfo run = runInfo();
  EXPECT_EQ(plotTitle(run), "mlp_overfit: lr 0.1, weight decay 0.005, "
                            "momentum 0, batch 100, limit-train 1000");
  run.limitTrain = 0;
  run.model = "it's";
  EXPECT_EQ(plotTitle(run),
            "it's: lr 0.1, weight decay 0.005, momentum 0, batch 100");
  std::string script =
      gnuplotScript(run, {record(1, 1, 0.5, 1.5, 0.4),
                          record(2, std::nan(""), 0.7, 1.0, 0.6)},
                    "/tmp/o'ut.svg");
  EXPECT_TRUE(contains(script, "set terminal svg"));
  EXPECT_TRUE(contains(script, "noenhanced")); // '_' is no subscript
  EXPECT_TRUE(contains(script, "set output '/tmp/o''ut.svg'\n"));
  EXPECT_TRUE(contains(script, "title 'it''s: lr 0.1"));
  EXPECT_TRUE(contains(script, "\n1 1 0.5 1.5 0.4\n2 ? 0.7 1 0.6\nEOD\n"));
  for (const char *legend :
       {"title 'train loss'", "title 'test loss'", "title 'train acc'",
        "title 'test acc'", "set multiplot layout 2,1"})
    EXPECT_TRUE(contains(script, legend)) << legend;
}

TEST(Report, PlotTargetChecks) {
  std::string error;
  EXPECT_FALSE(checkPlotTarget("curves.png", error));
  EXPECT_TRUE(contains(error, "name a .svg file"));
  EXPECT_FALSE(checkPlotTarget("/nonexistent/dir/c.svg", error));
  EXPECT_TRUE(contains(error, "cannot write to directory /nonexistent/dir"));

  const char *path = std::getenv("PATH");
  std::string saved = path ? path : "";
  setenv("PATH", "/nonexistent", 1);
  EXPECT_EQ(findGnuplot(error), "");
  EXPECT_FALSE(checkPlotTarget("c.svg", error));
  setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(error, "--plot needs gnuplot, which is not installed (not on "
                   "PATH); install it (Debian: apt-get install gnuplot-nox) "
                   "or leave out --plot");
}

TEST(Report, PlotDrawsAnSvgOrSaysWhy) {
  std::string error;
  if (findGnuplot(error).empty())
    GTEST_SKIP() << error;
  std::string dir = makeTempDir("plot");
  std::vector<EpochRecord> records;
  for (int e = 1; e <= 12; ++e)
    records.push_back(record(e, 1.0 / e, 1 - 0.5 / e, 0.5 + 0.05 * e, 0.8));
  ASSERT_TRUE(writePlot(runInfo(), records, dir + "/c.svg", error)) << error;
  std::string svg = slurp(dir + "/c.svg");
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_TRUE(contains(svg, "mlp_overfit: lr 0.1, weight decay 0.005"));
  EXPECT_TRUE(contains(svg, ">test acc<"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir),
                          fs::directory_iterator()),
            1);
  EXPECT_FALSE(writePlot(runInfo(), {}, dir + "/d.svg", error));
  EXPECT_TRUE(contains(error, "no epoch to plot"));
  fs::remove_all(dir);
}

TEST(Report, ProgressLineText) {
  StepProgress p;
  p.phase = StepProgress::Train;
  p.done = 120;
  p.total = 235;
  p.examples = 120 * 256;
  p.phaseSeconds = 1.5;
  p.epochSeconds = 1.5;
  p.runningLoss = 0.42131;
  EXPECT_EQ(ProgressBar::format(p, 3, 150, 100),
            "Epoch 3/150 train [==========>         ] 120/235, 20480 ex/s, "
            "loss 0.4213");
  p.phase = StepProgress::Eval;
  p.done = 7;
  p.total = 40;
  p.examples = 7 * 256;
  p.phaseSeconds = 0.5;
  EXPECT_EQ(ProgressBar::format(p, 0, 0, 100),
            "test  [===>                ]  7/40, 3584 ex/s");
  // Cut so that it never wraps.
  EXPECT_EQ(ProgressBar::format(p, 3, 150, 20), "Epoch 3/150 test  [");
}

TEST(Report, ProgressLineIsRedrawnInPlaceAndErased) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  auto drain = [&] {
    std::string out;
    char buf[1024];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    return out;
  };
  StepProgress p;
  p.done = 1;
  p.total = 10;
  p.examples = 100;
  p.phaseSeconds = p.epochSeconds = 0.5;
  p.runningLoss = 2;
  {
    ProgressBar bar(fds[1], 60, 1.0);
    bar.startEpoch(1, 2);
    bar.update(p); // not yet a second into the epoch
    EXPECT_EQ(drain(), "");
    p.epochSeconds = 1.2;
    bar.update(p);
    std::string first = drain();
    std::string line = ProgressBar::format(p, 1, 2, 60);
    EXPECT_EQ(first, "\r" + line);
    p.done = 10;
    p.runningLoss = 1.5;
    bar.update(p);
    std::string second = drain();
    EXPECT_EQ(second.find('\n'), std::string::npos);
    EXPECT_EQ(second[0], '\r');
    bar.clear();
    size_t longest = std::max(line.size(), second.size() - 1);
    EXPECT_EQ(drain(), "\r" + std::string(longest, ' ') + "\r");
    bar.clear(); // nothing drawn: nothing to erase
    EXPECT_EQ(drain(), "");
    bar.update(p);
    drain();
  } // the destructor erases
  std::string last = drain();
  EXPECT_EQ(last.front(), '\r');
  EXPECT_EQ(last.back(), '\r');
  EXPECT_EQ(last.find_first_not_of(" \r"), std::string::npos);
  close(fds[0]);
  close(fds[1]);
}

} // namespace
