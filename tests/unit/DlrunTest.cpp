//===- DlrunTest.cpp - the dlrun command line, end to end -----------------===//

#include "ToyPlan.h"

#include "report/Plot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace dlc::test;
namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;
  std::string out, err;
};

/// dlrun's output without the epoch times, which differ from run to run.
std::string withoutTimes(const std::string &out) {
  return std::regex_replace(out, std::regex(R"(, Time [0-9.]+ s)"), "");
}

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A strict JSON reader, enough to check dlrun's --metrics files: throws on
// anything that is not JSON (trailing commas, NaN, bare words, trailing
// text).
struct Json {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  double number = 0;
  std::string text;
  std::vector<Json> items;
  std::map<std::string, Json> fields;

  const Json &operator[](const std::string &key) const {
    auto it = fields.find(key);
    if (kind != Object || it == fields.end())
      throw std::runtime_error("no field " + key);
    return it->second;
  }

  static Json parse(const std::string &s) {
    size_t pos = 0;
    Json v = value(s, pos);
    skip(s, pos);
    if (pos != s.size())
      throw std::runtime_error("text after the JSON value");
    return v;
  }

private:
  static void skip(const std::string &s, size_t &pos) {
    while (pos < s.size() && std::strchr(" \t\r\n", s[pos]))
      ++pos;
  }
  static void expect(const std::string &s, size_t &pos, char c) {
    skip(s, pos);
    if (pos >= s.size() || s[pos] != c)
      throw std::runtime_error(std::string("expected ") + c + " at " +
                               std::to_string(pos));
    ++pos;
  }
  static std::string string(const std::string &s, size_t &pos) {
    expect(s, pos, '"');
    std::string out;
    while (pos < s.size() && s[pos] != '"') {
      if (static_cast<unsigned char>(s[pos]) < 0x20)
        throw std::runtime_error("control character in a string");
      if (s[pos] == '\\') {
        ++pos;
        if (pos >= s.size() || !std::strchr("\"\\/bfnrtu", s[pos]))
          throw std::runtime_error("bad escape");
        if (s[pos] == 'u')
          pos += 4;
        out += '?';
        ++pos;
        continue;
      }
      out += s[pos++];
    }
    expect(s, pos, '"');
    return out;
  }
  static Json value(const std::string &s, size_t &pos) {
    skip(s, pos);
    if (pos >= s.size())
      throw std::runtime_error("unexpected end");
    Json v;
    char c = s[pos];
    if (c == '{') {
      v.kind = Object;
      ++pos;
      skip(s, pos);
      if (pos < s.size() && s[pos] == '}')
        return ++pos, v;
      for (;;) {
        std::string key = string(s, pos);
        expect(s, pos, ':');
        v.fields[key] = value(s, pos);
        skip(s, pos);
        if (pos < s.size() && s[pos] == ',') {
          ++pos;
          continue;
        }
        expect(s, pos, '}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = Array;
      ++pos;
      skip(s, pos);
      if (pos < s.size() && s[pos] == ']')
        return ++pos, v;
      for (;;) {
        v.items.push_back(value(s, pos));
        skip(s, pos);
        if (pos < s.size() && s[pos] == ',') {
          ++pos;
          continue;
        }
        expect(s, pos, ']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = String;
      v.text = string(s, pos);
      return v;
    }
    for (const char *word : {"null", "true", "false"})
      if (s.compare(pos, std::strlen(word), word) == 0) {
        pos += std::strlen(word);
        v.kind = word[0] == 'n' ? Null : Bool;
        v.number = word[0] == 't';
        return v;
      }
    static const std::regex number(
        R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
    std::smatch m;
    std::string rest = s.substr(pos, 64);
    if (!std::regex_search(rest, m, number,
                           std::regex_constants::match_continuous))
      throw std::runtime_error("bad value at " + std::to_string(pos));
    v.kind = Number;
    v.number = std::stod(m.str());
    pos += m.length();
    return v;
  }
};

/// One printed epoch line, parsed.
struct EpochLine {
  int epoch = 0;
  double loss = 0, trainAcc = 0, testLoss = 0, testAcc = 0, seconds = 0;
};

std::vector<EpochLine> parseEpochLines(const std::string &out) {
  static const std::regex line(
      R"(Epoch (\d+)\. Loss: (\d+\.\d{4}), Train acc (\d\.\d{4}), )"
      R"(Test loss (\d+\.\d{4}), Test acc (\d\.\d{4}), )"
      R"(Time (\d+\.\d{3}) s)");
  std::vector<EpochLine> lines;
  std::istringstream in(out);
  std::string text;
  while (std::getline(in, text)) {
    std::smatch m;
    EXPECT_TRUE(std::regex_match(text, m, line)) << text;
    if (m.empty())
      continue;
    lines.push_back({std::stoi(m[1]), std::stod(m[2]), std::stod(m[3]),
                     std::stod(m[4]), std::stod(m[5]), std::stod(m[6])});
  }
  return lines;
}

/// `value` as the epoch line prints it (%.4f, or %.2f for times).
std::string rounded(double value, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

/// Expects the file's numbers, printed as dlrun prints them, to be the
/// epoch line's.
void expectSameEpoch(const EpochLine &line, int epoch, double loss,
                     double trainAcc, double testLoss, double testAcc,
                     double seconds) {
  EXPECT_EQ(line.epoch, epoch);
  EXPECT_EQ(rounded(line.loss), rounded(loss));
  EXPECT_EQ(rounded(line.trainAcc), rounded(trainAcc));
  EXPECT_EQ(rounded(line.testLoss), rounded(testLoss));
  EXPECT_EQ(rounded(line.testAcc), rounded(testAcc));
  EXPECT_EQ(rounded(line.seconds, 3), rounded(seconds, 3));
}

bool hasControlCharacters(const std::string &text) {
  for (char c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f)
      return true;
  return false;
}

class DlrunTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = makeTempDir("dlrun");
    fs::create_directory(dir + "/data");
    writeIdxDataset(makeSeparableData(4, 4, 3, 100, 21, 9), dir + "/data");
    plan = dir + "/toy.plan";
    writeFileBytes(plan, buildPlanFile(makeToyPlan(ToySize::Small)));
  }
  void TearDown() override { fs::remove_all(dir); }

  // Runs dlrun with `args` (shell words), `env` (VAR=value words) in its
  // environment.
  Result run(const std::string &args, const std::string &env = "") {
    std::string cmd = env + " '" + DLRUN_PATH + "' " + args + " >'" +
                      dir + "/out' 2>'" + dir + "/err'";
    int raw = std::system(cmd.c_str());
    Result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(dir + "/out");
    r.err = slurp(dir + "/err");
    return r;
  }
  // Exit 1 with exactly one line "dlrun: error: ..." on stderr.
  void expectError(const Result &r, const std::string &part) {
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err.rfind("dlrun: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(contains(r.err, part));
  }
  std::string data() { return " --data '" + dir + "/data'"; }

  std::string dir, plan;
};

TEST_F(DlrunTest, TrainsAndPrintsOneLinePerEpoch) {
  Result r = run(plan + data() + " --epochs 3 --threads 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<EpochLine> lines = parseEpochLines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  for (int e = 0; e < 3; ++e)
    EXPECT_EQ(lines[e].epoch, e + 1);
  // The first line, exactly: test loss between train acc and test acc.
  EXPECT_TRUE(std::regex_match(
      r.out.substr(0, r.out.find('\n')),
      std::regex(R"(Epoch 1\. Loss: [0-9.]+, Train acc [0-9.]+, Test loss )"
                 R"([0-9.]+, Test acc [0-9.]+, Time [0-9.]+ s)")))
      << r.out;
}

TEST_F(DlrunTest, ThreadCountDoesNotChangeResults) {
  Result one = run(plan + data() + " --threads 1 --seed 3");
  Result two = run(plan + data() + " --threads 2 --seed 3");
  ASSERT_EQ(one.status, 0) << one.err;
  ASSERT_EQ(two.status, 0) << two.err;
  EXPECT_EQ(withoutTimes(one.out), withoutTimes(two.out));
  EXPECT_NE(withoutTimes(one.out), "");
}

TEST_F(DlrunTest, InspectNeedsNoData) {
  Result r = run(plan + " --inspect --data /nonexistent");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "model           toy"));
  EXPECT_TRUE(contains(r.out, "tensors: 20"));
  EXPECT_TRUE(contains(r.out, "eval_step: 2 launches"));
}

TEST_F(DlrunTest, CorruptPlanIsOneLineError) {
  std::vector<uint8_t> bytes = readFileBytes(plan);
  bytes[bytes.size() / 2] ^= 0x04;
  writeFileBytes(plan, bytes);
  expectError(run(plan + " --inspect"),
              "checksum mismatch: the plan is corrupt");
}

TEST_F(DlrunTest, BadFlagsAreOneLineErrors) {
  expectError(run(plan + " --frobnicate"), "--frobnicate");
  expectError(run(plan + " --threads 0"), "--threads");
  expectError(run(plan + " --epochs many"), "--epochs");
  expectError(run(""), "PLAN is required");
  expectError(run(plan + data() + " --limit-train 3"),
              "--limit-train 3 is less than one batch of 8");
  expectError(run(plan + " --data '" + dir + "/nowhere'"), "nowhere");
  // Counts name their range; a negative seed is not wrapped to 2^64 - 1.
  expectError(run(plan + data() + " --epochs -1"),
              "--epochs: Value -1 not in range 0 to 2147483648");
  expectError(run(plan + data() + " --step-losses 0"),
              "--step-losses: Value 0 not in range 1 to");
  expectError(run(plan + data() + " --seed -1"),
              "--seed: expected a non-negative integer, got -1");
}

TEST_F(DlrunTest, HyperParametersFollowTheModelLanguage) {
  // As the train line: lr > 0, weight_decay >= 0, momentum in [0, 1).
  expectError(run(plan + data() + " --lr -0.5"),
              "--lr must be finite and > 0, got -0.5");
  expectError(run(plan + data() + " --lr 0"), "--lr must be finite and > 0");
  expectError(run(plan + data() + " --lr inf"),
              "--lr must be finite and > 0, got inf");
  expectError(run(plan + data() + " --weight-decay -0.01"),
              "--weight-decay must be finite and >= 0, got -0.01");
  expectError(run(plan + data() + " --weight-decay nan"),
              "--weight-decay must be finite and >= 0, got nan");
  expectError(run(plan + data() + " --momentum 1"),
              "--momentum must be in [0, 1), got 1");
  EXPECT_EQ(run(plan + data() + " --epochs 1 --lr 0.05 --weight-decay 0")
                .status,
            0);
}

TEST_F(DlrunTest, MomentumWithoutStateIsRefused) {
  PlanSpec spec = makeToyPlan(ToySize::Small);
  spec.hasMomentumState = false;
  writeFileBytes(plan, buildPlanFile(spec));
  expectError(run(plan + data() + " --momentum 0.9"),
              "put momentum in the model's train line");
  EXPECT_EQ(run(plan + data() + " --epochs 1").status, 0);
}

TEST_F(DlrunTest, SaveAndLoad) {
  std::string params = dir + "/trained.params";
  Result trained = run(plan + data() + " --epochs 2 --save " + params);
  ASSERT_EQ(trained.status, 0) << trained.err;
  ASSERT_TRUE(fs::exists(params));
  for (const auto &entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"),
              std::string::npos);

  // Starting from the saved parameters continues from a low loss.
  Result resumed = run(plan + data() + " --epochs 1 --load " + params);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  auto lossOf = [](const std::string &line) {
    return std::stod(line.substr(line.find("Loss: ") + 6));
  };
  std::string firstFresh = trained.out.substr(0, trained.out.find('\n'));
  EXPECT_LT(lossOf(resumed.out), lossOf(firstFresh));

  // A plan with other shapes refuses the file, naming the tensor.
  std::string other = dir + "/mnist.plan";
  writeFileBytes(other, buildPlanFile(makeToyPlan(ToySize::Mnist)));
  expectError(run(other + data() + " --load " + params),
              "parameter 'dense.w' has shape [16, 3] but the plan's has "
              "[784, 10]");
}

TEST_F(DlrunTest, CsvMetricsHoldThePrintedEpochs) {
  std::string csv = dir + "/m.csv";
  Result r = run(plan + data() + " --epochs 4 --seed 5 --metrics " + csv);
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<EpochLine> lines = parseEpochLines(r.out);
  ASSERT_EQ(lines.size(), 4u);
  std::ifstream in(csv);
  std::string row;
  ASSERT_TRUE(std::getline(in, row));
  EXPECT_EQ(row, "epoch,train_loss,train_acc,test_loss,test_acc,seconds,"
                 "examples_per_s");
  size_t n = 0;
  while (std::getline(in, row)) {
    ASSERT_LT(n, lines.size()) << row;
    std::vector<std::string> cells;
    std::stringstream cellStream(row);
    std::string cell;
    while (std::getline(cellStream, cell, ','))
      cells.push_back(cell);
    ASSERT_EQ(cells.size(), 7u) << row;
    expectSameEpoch(lines[n], std::stoi(cells[0]), std::stod(cells[1]),
                    std::stod(cells[2]), std::stod(cells[3]),
                    std::stod(cells[4]), std::stod(cells[5]));
    // 100 examples / 8 = 12 full batches trained in less than the epoch.
    EXPECT_GT(std::stod(cells[6]), 96 / std::stod(cells[5]));
    ++n;
  }
  EXPECT_EQ(n, lines.size());
}

TEST_F(DlrunTest, JsonMetricsHoldThePrintedEpochsAndTheRun) {
  std::string json = dir + "/sub dir/m.json";
  fs::create_directory(dir + "/sub dir");
  Result r = run(plan + data() + " --epochs 3 --lr 0.25 --weight-decay 0.01 "
                 "--limit-train 64 --seed 9 --metrics '" + json + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<EpochLine> lines = parseEpochLines(r.out);
  ASSERT_EQ(lines.size(), 3u);
  Json doc;
  ASSERT_NO_THROW(doc = Json::parse(slurp(json))) << slurp(json);
  EXPECT_EQ(doc["model"].text, "toy");
  EXPECT_EQ(doc["plan"].text, plan);
  EXPECT_EQ(doc["lr"].number, 0.25);
  EXPECT_EQ(doc["weight_decay"].number, 0.01);
  EXPECT_EQ(doc["momentum"].number, 0.0);
  EXPECT_EQ(doc["batch"].number, 8);
  EXPECT_EQ(doc["limit_train"].number, 64);
  EXPECT_EQ(doc["seed"].number, 9);
  EXPECT_EQ(doc["planned_epochs"].number, 3);
  const Json &epochs = doc["epochs"];
  ASSERT_EQ(epochs.kind, Json::Array);
  ASSERT_EQ(epochs.items.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const Json &e = epochs.items[i];
    expectSameEpoch(lines[i], static_cast<int>(e["epoch"].number),
                    e["train_loss"].number, e["train_acc"].number,
                    e["test_loss"].number, e["test_acc"].number,
                    e["seconds"].number);
    EXPECT_GT(e["examples_per_s"].number, 0);
  }
  // Nothing but the file itself is left in its directory.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir + "/sub dir"),
                          fs::directory_iterator()),
            1);

  // With no limit the field is null, and an empty run is still valid JSON.
  r = run(plan + data() + " --epochs 0 --metrics '" + json + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_NO_THROW(doc = Json::parse(slurp(json))) << slurp(json);
  EXPECT_EQ(doc["limit_train"].kind, Json::Null);
  EXPECT_TRUE(doc["epochs"].items.empty());
}

// The metrics file is written before the epoch line is printed: whoever
// sees line k finds k epochs in a file that is complete at every moment,
// also when the run is killed right there.
TEST_F(DlrunTest, MetricsAreWrittenAsTheRunGoes) {
  for (const char *name : {"live.json", "live.csv"}) {
    std::string metrics = dir + "/" + name;
    // exec: the shell's pid becomes dlrun's, to be killed below.
    std::string cmd = std::string("exec '") + DLRUN_PATH + "' " + plan +
                      data() + " --epochs 100000 --metrics " + metrics +
                      " 2>'" + dir + "/err'";
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char *>(nullptr));
      _exit(127);
    }
    close(out[1]);
    // However the checks below end, the run does not outlive the test.
    struct Reaper {
      pid_t pid;
      ~Reaper() {
        if (pid > 0) {
          kill(pid, SIGKILL);
          waitpid(pid, nullptr, 0);
        }
      }
    } reaper{pid};
    FILE *pipe = fdopen(out[0], "r");
    ASSERT_NE(pipe, nullptr);
    char buf[512];
    std::string printed;
    for (int k = 1; k <= 3; ++k) {
      ASSERT_NE(std::fgets(buf, sizeof buf, pipe), nullptr);
      printed += buf;
      std::vector<EpochLine> lines = parseEpochLines(printed);
      ASSERT_EQ(lines.size(), static_cast<size_t>(k));
      std::string text = slurp(metrics);
      if (contains(name, ".json")) {
        Json doc;
        ASSERT_NO_THROW(doc = Json::parse(text)) << text;
        ASSERT_GE(doc["epochs"].items.size(), static_cast<size_t>(k));
        const Json &e = doc["epochs"].items[k - 1];
        expectSameEpoch(lines[k - 1], static_cast<int>(e["epoch"].number),
                        e["train_loss"].number, e["train_acc"].number,
                        e["test_loss"].number, e["test_acc"].number,
                        e["seconds"].number);
      } else {
        EXPECT_GE(std::count(text.begin(), text.end(), '\n'), k + 1) << text;
        EXPECT_EQ(text.back(), '\n');
      }
    }
    // Kill the run mid-way; the history stays.
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    reaper.pid = 0;
    std::fclose(pipe);
    std::string text = slurp(metrics);
    if (contains(name, ".json")) {
      Json doc;
      ASSERT_NO_THROW(doc = Json::parse(text)) << text;
      EXPECT_GE(doc["epochs"].items.size(), 3u);
    } else {
      EXPECT_GE(std::count(text.begin(), text.end(), '\n'), 4) << text;
      EXPECT_EQ(text.back(), '\n');
    }
  }
}

TEST_F(DlrunTest, EvalOnlyReproducesTheSavedRunsLastEpoch) {
  std::string params = dir + "/p.params";
  Result trained =
      run(plan + data() + " --epochs 3 --seed 4 --save " + params);
  ASSERT_EQ(trained.status, 0) << trained.err;
  std::vector<EpochLine> lines = parseEpochLines(trained.out);
  ASSERT_EQ(lines.size(), 3u);
  Result eval =
      run(plan + data() + " --eval-only --load " + params + " --threads 1");
  ASSERT_EQ(eval.status, 0) << eval.err;
  EXPECT_EQ(eval.err, "");
  EXPECT_EQ(eval.out, "Test loss " + rounded(lines[2].testLoss) +
                          ", Test acc " + rounded(lines[2].testAcc) + "\n");

  expectError(run(plan + data() + " --eval-only"),
              "--eval-only needs --load FILE");
  expectError(run(plan + data() + " --eval-only --load " + params +
                  " --metrics m.csv"),
              "--eval-only trains nothing; --metrics cannot be used");
  expectError(run(plan + data() + " --eval-only --load " + params +
                  " --save " + params),
              "--save cannot be used");
}

TEST_F(DlrunTest, BadMetricsAndPlotTargetsAreOneLineErrors) {
  expectError(run(plan + data() + " --metrics " + dir + "/m.txt"),
              "--metrics " + dir +
                  "/m.txt: unknown extension '.txt'; name a .csv or .json "
                  "file");
  expectError(run(plan + data() + " --metrics " + dir + "/metrics"),
              "no file extension");
  expectError(run(plan + data() + " --metrics " + dir + "/none/m.csv"),
              "cannot write to directory " + dir + "/none");
  expectError(run(plan + data() + " --plot " + dir + "/curves.png"),
              "name a .svg file");
  expectError(run(plan + data() + " --plot " + dir + "/c.svg --epochs 0"),
              "--plot needs at least one epoch");
  // Nothing was trained: no file was created.
  EXPECT_FALSE(fs::exists(dir + "/m.txt"));
  EXPECT_FALSE(fs::exists(dir + "/c.svg"));
}

TEST_F(DlrunTest, PlotWithoutGnuplotIsOneLineError) {
  fs::create_directory(dir + "/emptybin");
  Result r = run(plan + data() + " --plot " + dir + "/c.svg",
                 "PATH='" + dir + "/emptybin'");
  expectError(r, "--plot needs gnuplot, which is not installed");
  EXPECT_TRUE(contains(r.err, "apt-get install gnuplot-nox"));
}

TEST_F(DlrunTest, PlotIsAnSvgOfTheFourCurves) {
  std::string error;
  if (dlc::runtime::findGnuplot(error).empty())
    GTEST_SKIP() << error;
  std::string svg = dir + "/curves.svg";
  Result r = run(plan + data() + " --epochs 5 --limit-train 80 --plot " + svg +
                 " --metrics " + dir + "/m.csv");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::string text = slurp(svg);
  EXPECT_EQ(text.rfind("<?xml", 0), 0u);
  EXPECT_TRUE(contains(text, "</svg>"));
  for (const char *part :
       {"train loss", "test loss", "train acc", "test acc", "epoch",
        "toy: lr 0.5, weight decay 0, momentum 0, batch 8, limit-train 80"})
    EXPECT_TRUE(contains(text, part)) << part;
  for (const auto &entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"),
              std::string::npos);
}

TEST_F(DlrunTest, DeviceIsForCudaPlans) {
  expectError(run(plan + data() + " --device 0"),
              "--device selects the GPU of a CUDA plan, but " + plan +
                  " is a CPU plan");
  expectError(run(plan + data() + " --device -1"), "--device");
}

// --profile: the same training, then one table per step on stderr with a
// row per launch of the plan.
TEST_F(DlrunTest, ProfileTimesEveryLaunch) {
  Result plain = run(plan + data() + " --epochs 2 --threads 2");
  Result r = run(plan + data() + " --epochs 2 --threads 2 --profile");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(withoutTimes(r.out), withoutTimes(plain.out));
  Result inspect = run(plan + " --inspect");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(inspect.out, m,
                                std::regex(R"(train_step: (\d+) launches)")));
  int launches = std::stoi(m[1]);
  // 2 epochs of 12 steps; 2 evaluations of the 3 test batches.
  ASSERT_TRUE(std::regex_search(
      r.err, m,
      std::regex(R"(^train_step: 24 steps, (\d+) launches per step, )"
                 R"([0-9.]+ ms per step in kernels, 2 threads\n)")))
      << r.err;
  EXPECT_EQ(std::stoi(m[1]), launches);
  EXPECT_TRUE(contains(r.err, "\neval_step: 6 steps, 2 launches per step, "))
      << r.err;
  // Rows: name, ms/step, us/call, share, slices.
  static const std::regex row(R"(  \S+ +[0-9.]+ +[0-9.]+ +[0-9.]+% +\d+)");
  std::istringstream in(r.err);
  int rows = 0;
  for (std::string text; std::getline(in, text);)
    rows += std::regex_match(text, row);
  EXPECT_EQ(rows, launches + 2) << r.err;
}

// --step-losses prints the steps of epoch 1 that --epochs 1 averages.
TEST_F(DlrunTest, StepLosses) {
  Result r = run(plan + data() + " --step-losses 12 --seed 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  static const std::regex line(R"(step (\d+) loss (\S+))");
  std::istringstream in(r.out);
  std::string text;
  double sum = 0;
  int steps = 0;
  while (std::getline(in, text)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(text, m, line)) << text;
    EXPECT_EQ(std::stoi(m[1]), ++steps);
    sum += std::stof(m[2]); // %.9g reads back as the same float
  }
  ASSERT_EQ(steps, 12);
  Result epoch = run(plan + data() + " --epochs 1 --seed 2");
  ASSERT_EQ(epoch.status, 0) << epoch.err;
  std::vector<EpochLine> lines = parseEpochLines(epoch.out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(rounded(lines[0].loss), rounded(sum / 12));

  Result few = run(plan + data() + " --step-losses 3 --seed 2");
  EXPECT_EQ(few.out, r.out.substr(0, few.out.size()));
  expectError(run(plan + data() + " --step-losses 13"),
              "--step-losses 13 is more than the 12 steps of an epoch");
  expectError(run(plan + data() + " --step-losses 2 --limit-train 8 "
                                  "--step-losses 2"),
              "--step-losses");
  expectError(run(plan + data() + " --step-losses 2 --eval-only --load x"),
              "--step-losses trains and --eval-only does not");
  expectError(run(plan + data() + " --step-losses 2 --metrics m.csv"),
              "--step-losses prints steps, not epochs; --metrics cannot be "
              "used with it");
  expectError(run(plan + data() + " --step-losses 0"), "--step-losses");
}

// A CUDA plan where no driver is installed: one line, and --inspect works.
TEST_F(DlrunTest, CudaPlanWithoutDriver) {
  std::string cudaPlan = dir + "/cuda.plan";
  writeFileBytes(cudaPlan, buildPlanFile(makeToyCudaPlan(ToySize::Small)));
  expectError(run(cudaPlan + data() + " --profile"),
              "--profile times the kernels of CPU plans; " + cudaPlan +
                  " is a CUDA plan");
  // Whatever this machine has: a library that does not exist.
  std::string missing = dir + "/nonexistent/libcuda.so.1";
  std::string env = "DLC_CUDA_DRIVER='" + missing + "'";
  expectError(run(cudaPlan + data(), env),
              cudaPlan + ": this is a CUDA plan (sm_90) but no NVIDIA "
                         "driver was found (" +
                  missing +
                  ": cannot open shared object file: No such file or "
                  "directory)");
  Result r = run(cudaPlan + " --inspect", env);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(contains(r.out, "  target          cuda, gpu sm_90\n"));
  EXPECT_TRUE(contains(r.out, "dl_gather_batch (gather_kernel)  grid 4, "
                              "block 256"));
  EXPECT_TRUE(contains(r.out, "train_step: 6 launches"));
}

// The whole command line on a CUDA plan through the fake driver, whose
// launches run the toy kernels: the CPU plan's results, exactly.
TEST_F(DlrunTest, CudaPlanOnTheFakeDriverMatchesTheCpu) {
  std::string cudaPlan = dir + "/cuda.plan";
  writeFileBytes(cudaPlan, buildPlanFile(makeToyCudaPlan(ToySize::Small)));
  std::string env = std::string("DLC_CUDA_DRIVER='") + DLC_FAKE_CUDA + "'";
  std::string args = data() + " --epochs 3 --seed 3 --momentum 0.5 "
                              "--weight-decay 0.01";
  Result cpu = run(plan + args + " --threads 1 --save " + dir + "/cpu.params");
  Result gpu = run(cudaPlan + args + " --save " + dir + "/gpu.params", env);
  ASSERT_EQ(cpu.status, 0) << cpu.err;
  ASSERT_EQ(gpu.status, 0) << gpu.err;
  EXPECT_EQ(parseEpochLines(gpu.out).size(), 3u);
  EXPECT_EQ(withoutTimes(gpu.out), withoutTimes(cpu.out));
  EXPECT_EQ(gpu.err, "dlrun: device 0: Fake CUDA Device 0, compute "
                     "capability 9.0, driver for CUDA 13.0, kernels "
                     "JIT-compiled from the plan's PTX\n");
  EXPECT_EQ(readFileBytes(dir + "/gpu.params"),
            readFileBytes(dir + "/cpu.params"));

  Result cpuSteps = run(plan + data() + " --step-losses 7 --seed 4");
  Result gpuSteps = run(cudaPlan + data() + " --step-losses 7 --seed 4", env);
  ASSERT_EQ(gpuSteps.status, 0) << gpuSteps.err;
  EXPECT_EQ(gpuSteps.out, cpuSteps.out);

  // Saved on one target, evaluated on the other.
  Result eval = run(cudaPlan + data() + " --eval-only --load " + dir +
                        "/cpu.params",
                    env);
  ASSERT_EQ(eval.status, 0) << eval.err;
  std::vector<EpochLine> lines = parseEpochLines(cpu.out);
  EXPECT_EQ(eval.out, "Test loss " + rounded(lines[2].testLoss) +
                          ", Test acc " + rounded(lines[2].testAcc) + "\n");

  expectError(run(cudaPlan + data() + " --device 1", env),
              cudaPlan + ": there is no CUDA device 1: this machine has 1 "
                         "CUDA device (--device 0)");
  // A device fault after the device line: the error is one line too.
  Result fault = run(cudaPlan + data(), env + " DLC_FAKE_CUDA_FAULT=toy_grad");
  EXPECT_EQ(fault.status, 1);
  EXPECT_EQ(fault.out, "");
  EXPECT_EQ(fault.err, gpu.err + "dlrun: error: " + cudaPlan +
                           ": CUDA error in cuStreamSynchronize (end of "
                           "phase): CUDA_ERROR_ILLEGAL_ADDRESS: an illegal "
                           "memory access was encountered\n");
}

// Not a terminal: no progress line, nothing but plain lines on either
// stream.
TEST_F(DlrunTest, NoControlCharactersWithoutATerminal) {
  Result r = run(plan + data() + " --epochs 3 --metrics " + dir + "/m.json");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_FALSE(hasControlCharacters(r.out)) << r.out;
  Result eval = run(plan + data() + " --eval-only --load /nonexistent");
  EXPECT_FALSE(hasControlCharacters(eval.err)) << eval.err;
}

} // namespace
