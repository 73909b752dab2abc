//===- ParamFileTest.cpp - saving and loading trained parameters ----------===//

#include "ToyPlan.h"

#include "train/ParamFile.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

using namespace dlc::runtime;
using namespace dlc::test;
namespace fs = std::filesystem;

namespace {

struct Params {
  std::vector<float> w, b;
  std::vector<ParamTensor> tensors;
  Params(std::vector<int64_t> wShape, const std::string &wName = "dense.w") {
    w.resize(wShape[0] * wShape[1]);
    b.resize(3);
    for (size_t i = 0; i < w.size(); ++i)
      w[i] = 0.25f * static_cast<float>(i) - 1.0f;
    for (size_t i = 0; i < b.size(); ++i)
      b[i] = -3.5f * static_cast<float>(i);
    tensors = {{wName, wShape, w.data()}, {"dense.b", {3}, b.data()}};
  }
};

class ParamFileTest : public ::testing::Test {
protected:
  void SetUp() override { dir = makeTempDir("params"); }
  void TearDown() override { fs::remove_all(dir); }
  std::string dir;
};

TEST_F(ParamFileTest, RoundTrip) {
  Params saved({16, 3});
  std::string path = dir + "/p.params", error;
  ASSERT_TRUE(saveParameters(saved.tensors, path, error)) << error;
  // Atomic: only the target remains, no temporary file.
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"p.params"});

  std::vector<uint8_t> bytes = readFileBytes(path);
  ASSERT_GE(bytes.size(), 16u);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8), "DLCPARAM");
  EXPECT_EQ(bytes[8], 1); // version 1, little-endian
  EXPECT_EQ(bytes[12], 2); // two tensors
  // 8 + 4 + 4, then per tensor 4 + name + 4 + 8 * rank + 4 * n, then crc.
  EXPECT_EQ(bytes.size(), 16u + (4 + 7 + 4 + 16 + 4 * 48) +
                              (4 + 7 + 4 + 8 + 4 * 3) + 4);

  Params loaded({16, 3});
  std::fill(loaded.w.begin(), loaded.w.end(), 0.0f);
  std::fill(loaded.b.begin(), loaded.b.end(), 0.0f);
  ASSERT_TRUE(loadParameters(loaded.tensors, path, error)) << error;
  EXPECT_EQ(loaded.w, saved.w);
  EXPECT_EQ(loaded.b, saved.b);

  // Saving again replaces the file, still atomically.
  saved.w[0] = 42.0f;
  ASSERT_TRUE(saveParameters(saved.tensors, path, error)) << error;
  ASSERT_TRUE(loadParameters(loaded.tensors, path, error)) << error;
  EXPECT_EQ(loaded.w[0], 42.0f);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), {}), 1);
}

TEST_F(ParamFileTest, MismatchesAreRefusedNamingTheTensor) {
  std::string path = dir + "/p.params", error;
  Params saved({16, 3});
  ASSERT_TRUE(saveParameters(saved.tensors, path, error));

  Params otherShape({784, 3});
  std::vector<float> before = otherShape.w;
  EXPECT_FALSE(loadParameters(otherShape.tensors, path, error));
  EXPECT_TRUE(contains(error, "parameter 'dense.w' has shape [16, 3] but "
                              "the plan's has [784, 3]"));
  EXPECT_EQ(otherShape.w, before); // untouched on failure

  Params otherName({16, 3}, "conv.w");
  EXPECT_FALSE(loadParameters(otherName.tensors, path, error));
  EXPECT_TRUE(contains(error, "parameter 0 is 'dense.w' but the plan's is "
                              "'conv.w'"));

  Params fewer({16, 3});
  fewer.tensors.pop_back();
  EXPECT_FALSE(loadParameters(fewer.tensors, path, error));
  EXPECT_TRUE(contains(error, "the first extra is 'dense.b'"));

  Params more({16, 3});
  more.tensors.push_back({"extra", {3}, more.b.data()});
  EXPECT_FALSE(loadParameters(more.tensors, path, error));
  EXPECT_TRUE(contains(error, "'extra' is missing"));
}

TEST_F(ParamFileTest, NamesFromTheFileKeepErrorsOneLine) {
  std::string path = dir + "/p.params", error;
  // Found by tests/fuzz: a name's newline split the message.
  std::string evil = "evil\n\x01name" + std::string(100, 'x');
  Params saved({16, 3}, evil);
  ASSERT_TRUE(saveParameters(saved.tensors, path, error)) << error;
  Params plan({16, 3});
  EXPECT_FALSE(loadParameters(plan.tensors, path, error));
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_TRUE(contains(error, "parameter 0 is 'evil??name" +
                                  std::string(54, 'x') + "...' but"))
      << error;
}

TEST_F(ParamFileTest, CorruptFilesAreRefused) {
  std::string path = dir + "/p.params", error;
  Params saved({16, 3});
  ASSERT_TRUE(saveParameters(saved.tensors, path, error));
  std::vector<uint8_t> good = readFileBytes(path);
  for (size_t pos = 0; pos < good.size(); pos += 7) {
    std::vector<uint8_t> bad = good;
    bad[pos] ^= 0x10;
    writeFileBytes(path, bad);
    EXPECT_FALSE(loadParameters(saved.tensors, path, error)) << pos;
    EXPECT_TRUE(pos < 8 ? contains(error, "bad magic")
                        : contains(error, "checksum mismatch"))
        << pos;
  }
  for (size_t length : {size_t(0), size_t(5), size_t(12), good.size() - 1}) {
    writeFileBytes(path, std::vector<uint8_t>(good.begin(),
                                              good.begin() + length));
    EXPECT_FALSE(loadParameters(saved.tensors, path, error)) << length;
  }
  EXPECT_FALSE(loadParameters(saved.tensors, dir + "/none", error));
  EXPECT_TRUE(contains(error, "No such file"));
}

TEST_F(ParamFileTest, FailedSaveLeavesNothing) {
  Params saved({16, 3});
  std::string error;
  EXPECT_FALSE(saveParameters(saved.tensors, dir + "/no/such/dir/p", error));
  EXPECT_TRUE(contains(error, "cannot create a temporary file"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), {}), 0);
}

} // namespace
