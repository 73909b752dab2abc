//===- DlrunTest.cpp - the dlrun command line, end to end -----------------===//

#include "ToyPlan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/wait.h>

using namespace dlc::test;
namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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

  Result run(const std::string &args) {
    std::string cmd = std::string("'") + DLRUN_PATH + "' " + args + " >'" +
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
  std::regex line(R"(Epoch (\d+)\. Loss: \d+\.\d{4}, Train acc \d\.\d{4}, )"
                  R"(Test acc \d\.\d{4}, Time \d+\.\d{2} s)");
  std::istringstream lines(r.out);
  std::string text;
  int epoch = 0;
  while (std::getline(lines, text)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(text, m, line)) << text;
    EXPECT_EQ(std::stoi(m[1]), ++epoch);
  }
  EXPECT_EQ(epoch, 3);
}

TEST_F(DlrunTest, ThreadCountDoesNotChangeResults) {
  auto strip = [](std::string s) {
    return std::regex_replace(s, std::regex(R"(, Time [0-9.]+ s)"), "");
  };
  Result one = run(plan + data() + " --threads 1 --seed 3");
  Result two = run(plan + data() + " --threads 2 --seed 3");
  ASSERT_EQ(one.status, 0) << one.err;
  ASSERT_EQ(two.status, 0) << two.err;
  EXPECT_EQ(strip(one.out), strip(two.out));
  EXPECT_NE(strip(one.out), "");
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

} // namespace
