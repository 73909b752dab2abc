//===- IdxReaderTest.cpp - Tests for the runtime IDX reader ---------------===//

#include "data/IdxReader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace dlc::runtime;

namespace {

constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;

using Bytes = std::vector<uint8_t>;

// Plain gtest has no string matchers without gmock; these print both sides.
::testing::AssertionResult contains(const std::string &s,
                                    const std::string &part) {
  if (s.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << s << "\" does not contain \"" << part << "\"";
}

::testing::AssertionResult startsWith(const std::string &s,
                                      const std::string &prefix) {
  if (s.compare(0, prefix.size(), prefix) == 0)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << s << "\" does not start with \"" << prefix << "\"";
}

/// Seed for random test content: DLC_TEST_SEED if set, so a failure printed
/// via SCOPED_TRACE can be reproduced, else a fresh one.
uint32_t testSeed() {
  if (const char *env = std::getenv("DLC_TEST_SEED"))
    return static_cast<uint32_t>(std::strtoul(env, nullptr, 0));
  return std::random_device{}();
}

Bytes idxBytes(uint32_t magic, const std::vector<uint32_t> &dims,
               const Bytes &payload) {
  Bytes out;
  auto put32 = [&](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<uint8_t>(v >> shift));
  };
  put32(magic);
  for (uint32_t d : dims)
    put32(d);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes imagesFile(const IdxImages &images) {
  return idxBytes(kImagesMagic,
                  {uint32_t(images.count), uint32_t(images.rows),
                   uint32_t(images.cols)},
                  images.pixels);
}

Bytes labelsFile(const IdxLabels &labels) {
  return idxBytes(kLabelsMagic, {uint32_t(labels.count)}, labels.labels);
}

void writeRaw(const std::string &path, const Bytes &bytes) {
  std::ofstream os(path, std::ios::binary);
  os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  ASSERT_TRUE(os.good()) << path;
}

void writeGz(const std::string &path, const Bytes &bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr) << path;
  int written = bytes.empty()
                    ? 0
                    : gzwrite(gz, bytes.data(), unsigned(bytes.size()));
  ASSERT_EQ(gzclose(gz), Z_OK) << path;
  ASSERT_EQ(written, int(bytes.size())) << path;
}

Bytes readBytes(const std::string &path) {
  std::ifstream is(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(is),
               std::istreambuf_iterator<char>());
}

/// MNIST-like content: mostly background with random ink, so that deflate
/// uses Huffman blocks rather than stored ones.
IdxImages randomImages(std::mt19937 &rng, int64_t count, int64_t rows,
                       int64_t cols) {
  IdxImages images;
  images.count = count;
  images.rows = rows;
  images.cols = cols;
  images.pixels.resize(count * rows * cols);
  std::uniform_int_distribution<int> byte(0, 255);
  for (uint8_t &p : images.pixels)
    p = byte(rng) < 180 ? 0 : uint8_t(byte(rng));
  return images;
}

IdxLabels randomLabels(std::mt19937 &rng, int64_t count) {
  IdxLabels labels;
  labels.count = count;
  labels.labels.resize(count);
  std::uniform_int_distribution<int> digit(0, 9);
  for (uint8_t &l : labels.labels)
    l = uint8_t(digit(rng));
  return labels;
}

class IdxReaderTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string templ = ::testing::TempDir() + "IdxReaderTest-XXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr) << templ;
    dir = templ;
    seed = testSeed();
    rng.seed(seed);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir.empty())
      std::filesystem::remove_all(dir, ec);
  }

  std::string path(const std::string &name) const { return dir + "/" + name; }

  /// Writes a complete, consistent dataset; `gz` picks the compressed names.
  void writeDataset(const std::string &d, bool gz, int64_t trainCount,
                    int64_t testCount, int64_t rows, int64_t cols) {
    std::string suffix = gz ? ".gz" : "";
    auto write = gz ? writeGz : writeRaw;
    write(d + "/train-images-idx3-ubyte" + suffix,
          imagesFile(randomImages(rng, trainCount, rows, cols)));
    write(d + "/train-labels-idx1-ubyte" + suffix,
          labelsFile(randomLabels(rng, trainCount)));
    write(d + "/t10k-images-idx3-ubyte" + suffix,
          imagesFile(randomImages(rng, testCount, rows, cols)));
    write(d + "/t10k-labels-idx1-ubyte" + suffix,
          labelsFile(randomLabels(rng, testCount)));
  }

  std::string dir;
  uint32_t seed = 0;
  std::mt19937 rng;
};

#define TRACE_SEED() SCOPED_TRACE("seed=" + std::to_string(seed))

TEST_F(IdxReaderTest, RoundTripRaw) {
  TRACE_SEED();
  IdxImages images = randomImages(rng, 7, 5, 3);
  IdxLabels labels = randomLabels(rng, 7);
  writeRaw(path("img"), imagesFile(images));
  writeRaw(path("lbl"), labelsFile(labels));

  IdxImages gotImages;
  IdxLabels gotLabels;
  std::string error;
  ASSERT_TRUE(readIdxImages(path("img"), gotImages, error)) << error;
  ASSERT_TRUE(readIdxLabels(path("lbl"), gotLabels, error)) << error;
  EXPECT_EQ(gotImages.count, 7);
  EXPECT_EQ(gotImages.rows, 5);
  EXPECT_EQ(gotImages.cols, 3);
  EXPECT_EQ(gotImages.pixels, images.pixels);
  EXPECT_EQ(gotLabels.count, 7);
  EXPECT_EQ(gotLabels.labels, labels.labels);
}

TEST_F(IdxReaderTest, RoundTripGzip) {
  TRACE_SEED();
  // Large enough that the compressed input spans several read buffers.
  IdxImages images = randomImages(rng, 300, 28, 28);
  IdxLabels labels = randomLabels(rng, 300);
  writeGz(path("img.gz"), imagesFile(images));
  writeGz(path("lbl.gz"), labelsFile(labels));

  IdxImages gotImages;
  IdxLabels gotLabels;
  std::string error;
  ASSERT_TRUE(readIdxImages(path("img.gz"), gotImages, error)) << error;
  ASSERT_TRUE(readIdxLabels(path("lbl.gz"), gotLabels, error)) << error;
  EXPECT_EQ(gotImages.count, 300);
  EXPECT_EQ(gotImages.rows, 28);
  EXPECT_EQ(gotImages.cols, 28);
  EXPECT_EQ(gotImages.pixels, images.pixels);
  EXPECT_EQ(gotLabels.labels, labels.labels);
}

TEST_F(IdxReaderTest, EmptySetRoundTrips) {
  IdxImages images;
  images.rows = 28;
  images.cols = 28;
  writeGz(path("img.gz"), imagesFile(images));
  IdxImages got;
  std::string error;
  ASSERT_TRUE(readIdxImages(path("img.gz"), got, error)) << error;
  EXPECT_EQ(got.count, 0);
  EXPECT_EQ(got.rows, 28);
  EXPECT_TRUE(got.pixels.empty());
}

TEST_F(IdxReaderTest, CompressionDetectedByMagicNotName) {
  TRACE_SEED();
  IdxImages images = randomImages(rng, 4, 6, 6);
  writeGz(path("gzip-without-suffix"), imagesFile(images));
  writeRaw(path("raw-with-suffix.gz"), imagesFile(images));
  std::string error;
  IdxImages a, b;
  ASSERT_TRUE(readIdxImages(path("gzip-without-suffix"), a, error)) << error;
  ASSERT_TRUE(readIdxImages(path("raw-with-suffix.gz"), b, error)) << error;
  EXPECT_EQ(a.pixels, images.pixels);
  EXPECT_EQ(b.pixels, images.pixels);
}

TEST_F(IdxReaderTest, MultiMemberGzip) {
  TRACE_SEED();
  // `cat a.gz b.gz` is a valid gzip file; zcat and gzread accept it.
  IdxLabels labels = randomLabels(rng, 50);
  Bytes file = labelsFile(labels);
  writeGz(path("part1.gz"), Bytes(file.begin(), file.begin() + 20));
  writeGz(path("part2.gz"), Bytes(file.begin() + 20, file.end()));
  Bytes joined = readBytes(path("part1.gz"));
  Bytes second = readBytes(path("part2.gz"));
  joined.insert(joined.end(), second.begin(), second.end());
  writeRaw(path("lbl.gz"), joined);

  IdxLabels got;
  std::string error;
  ASSERT_TRUE(readIdxLabels(path("lbl.gz"), got, error)) << error;
  EXPECT_EQ(got.labels, labels.labels);
}

TEST_F(IdxReaderTest, WrongMagic) {
  TRACE_SEED();
  writeGz(path("labels.gz"), labelsFile(randomLabels(rng, 3)));
  writeRaw(path("images"), imagesFile(randomImages(rng, 3, 2, 2)));
  std::string error;
  IdxImages images;
  IdxLabels labels;
  EXPECT_FALSE(readIdxImages(path("labels.gz"), images, error));
  EXPECT_EQ(error, path("labels.gz") +
                       ": bad magic 0x00000801, expected 0x00000803 (IDX3 "
                       "unsigned-byte images)");
  EXPECT_FALSE(readIdxLabels(path("images"), labels, error));
  EXPECT_EQ(error, path("images") +
                       ": bad magic 0x00000803, expected 0x00000801 (IDX1 "
                       "unsigned-byte labels)");
  // A float IDX file (type byte 0x0d) is not accepted either.
  writeRaw(path("floats"), idxBytes(0x00000d03, {1, 1, 1}, {0, 0, 0, 0}));
  EXPECT_FALSE(readIdxImages(path("floats"), images, error));
  EXPECT_TRUE(contains(error, "bad magic 0x00000d03"));
}

TEST_F(IdxReaderTest, TruncatedHeader) {
  Bytes header = idxBytes(kImagesMagic, {10, 28, 28}, {});
  std::string error;
  IdxImages images;
  for (bool gz : {false, true}) {
    SCOPED_TRACE(gz ? "gzip" : "raw");
    std::string p = path(gz ? "short.gz" : "short");
    (gz ? writeGz : writeRaw)(p, Bytes(header.begin(), header.begin() + 10));
    EXPECT_FALSE(readIdxImages(p, images, error));
    EXPECT_EQ(error, p + ": truncated header: expected 16 bytes, got 10");
  }
  writeRaw(path("empty"), {});
  EXPECT_FALSE(readIdxImages(path("empty"), images, error));
  EXPECT_EQ(error, path("empty") + ": truncated header: expected 16 bytes, got 0");
  IdxLabels labels;
  writeRaw(path("lbl"), {0, 0, 8, 1, 0, 0});
  EXPECT_FALSE(readIdxLabels(path("lbl"), labels, error));
  EXPECT_EQ(error, path("lbl") + ": truncated header: expected 8 bytes, got 6");
}

TEST_F(IdxReaderTest, ShortPayload) {
  TRACE_SEED();
  IdxImages images = randomImages(rng, 5, 7, 3);
  Bytes file = imagesFile(images);
  file.resize(file.size() - 5);
  IdxLabels labels = randomLabels(rng, 9);
  Bytes labelFile = labelsFile(labels);
  labelFile.pop_back();
  std::string error;
  for (bool gz : {false, true}) {
    SCOPED_TRACE(gz ? "gzip" : "raw");
    std::string p = path(gz ? "img.gz" : "img");
    std::string q = path(gz ? "lbl.gz" : "lbl");
    (gz ? writeGz : writeRaw)(p, file);
    (gz ? writeGz : writeRaw)(q, labelFile);
    IdxImages gotImages;
    EXPECT_FALSE(readIdxImages(p, gotImages, error));
    EXPECT_EQ(error, p + ": truncated: expected 105 bytes of pixels, got 100");
    IdxLabels gotLabels;
    EXPECT_FALSE(readIdxLabels(q, gotLabels, error));
    EXPECT_EQ(error, q + ": truncated: expected 9 bytes of labels, got 8");
  }
}

TEST_F(IdxReaderTest, TrailingBytes) {
  TRACE_SEED();
  Bytes file = imagesFile(randomImages(rng, 2, 4, 4));
  file.insert(file.end(), {1, 2, 3});
  std::string error;
  for (bool gz : {false, true}) {
    SCOPED_TRACE(gz ? "gzip" : "raw");
    std::string p = path(gz ? "img.gz" : "img");
    (gz ? writeGz : writeRaw)(p, file);
    IdxImages images;
    EXPECT_FALSE(readIdxImages(p, images, error));
    EXPECT_EQ(error, p + ": trailing data: 3 unexpected bytes after the 32 "
                         "bytes of pixels declared by the header");
  }
}

TEST_F(IdxReaderTest, AbsurdHeaderDimensions) {
  std::string error;
  IdxImages images;
  // Would overflow 64 bits if multiplied naively; must fail before allocating.
  writeRaw(path("huge"),
           idxBytes(kImagesMagic, {0xffffffff, 0xffffffff, 0xffffffff}, {}));
  EXPECT_FALSE(readIdxImages(path("huge"), images, error));
  EXPECT_EQ(error, path("huge") + ": header declares 4294967295 images of "
                                  "4294967295x4294967295 pixels, more than "
                                  "the 1 GiB limit");
  // Just over and just under the limit (1370 * 28 * 28000 > 2^30).
  writeRaw(path("big"), idxBytes(kImagesMagic, {1370, 28, 28 * 1000}, {}));
  EXPECT_FALSE(readIdxImages(path("big"), images, error));
  EXPECT_TRUE(contains(error, "more than the 1 GiB limit"));
  // Under the limit the header is believed, but a short file must neither
  // succeed nor need the full amount of memory.
  writeRaw(path("under"), idxBytes(kImagesMagic, {1369, 28, 28 * 1000}, {7}));
  EXPECT_FALSE(readIdxImages(path("under"), images, error));
  EXPECT_EQ(error, path("under") + ": truncated: expected 1073296000 bytes of "
                                   "pixels, got 1");
  writeRaw(path("zero"), idxBytes(kImagesMagic, {5, 0, 28}, {}));
  EXPECT_FALSE(readIdxImages(path("zero"), images, error));
  EXPECT_EQ(error, path("zero") + ": header declares empty 0x28 images");
  IdxLabels labels;
  writeGz(path("lbl.gz"), idxBytes(kLabelsMagic, {0xffffffff}, {}));
  EXPECT_FALSE(readIdxLabels(path("lbl.gz"), labels, error));
  EXPECT_EQ(error, path("lbl.gz") + ": header declares 4294967295 labels, "
                                    "more than the 1 GiB limit");
}

TEST_F(IdxReaderTest, FailureLeavesOutputUnchanged) {
  IdxImages images;
  images.count = 42;
  images.pixels = {9};
  writeRaw(path("bad"), idxBytes(kImagesMagic, {1, 2, 2}, {1, 2}));
  std::string error;
  EXPECT_FALSE(readIdxImages(path("bad"), images, error));
  EXPECT_EQ(images.count, 42);
  EXPECT_EQ(images.pixels, Bytes{9});
}

TEST_F(IdxReaderTest, CorruptGzip) {
  TRACE_SEED();
  IdxImages images = randomImages(rng, 40, 28, 28);
  writeGz(path("good.gz"), imagesFile(images));
  Bytes good = readBytes(path("good.gz"));
  ASSERT_GT(good.size(), 100u);
  std::string error;
  IdxImages got;

  // Flipped bytes at several points of the deflate stream.
  for (size_t at : {good.size() / 4, good.size() / 2, good.size() * 3 / 4}) {
    SCOPED_TRACE("flipped at " + std::to_string(at));
    Bytes bad = good;
    for (size_t i = at; i < at + 4; ++i)
      bad[i] ^= 0xff;
    writeRaw(path("flipped.gz"), bad);
    EXPECT_FALSE(readIdxImages(path("flipped.gz"), got, error));
    EXPECT_TRUE(startsWith(error, path("flipped.gz") + ": "));
  }

  // A flip inside the CRC of the trailer is caught by the check at the end.
  Bytes badCrc = good;
  badCrc[badCrc.size() - 8] ^= 0x01;
  writeRaw(path("crc.gz"), badCrc);
  EXPECT_FALSE(readIdxImages(path("crc.gz"), got, error));
  EXPECT_EQ(error, path("crc.gz") + ": corrupt gzip file: incorrect data check");

  // Cut in the middle of the compressed data.
  writeRaw(path("half.gz"), Bytes(good.begin(), good.begin() + good.size() / 2));
  EXPECT_FALSE(readIdxImages(path("half.gz"), got, error));
  EXPECT_EQ(error, path("half.gz") + ": truncated gzip file: unexpected end of "
                                     "compressed data");

  // Only the trailer missing: all pixels decode, but the file is still bad.
  writeRaw(path("notrailer.gz"), Bytes(good.begin(), good.end() - 8));
  EXPECT_FALSE(readIdxImages(path("notrailer.gz"), got, error));
  EXPECT_EQ(error, path("notrailer.gz") + ": truncated gzip file: unexpected "
                                          "end of compressed data");

  // Garbage after a complete gzip member.
  Bytes junk = good;
  junk.insert(junk.end(), {'j', 'u', 'n', 'k'});
  writeRaw(path("junk.gz"), junk);
  EXPECT_FALSE(readIdxImages(path("junk.gz"), got, error));
  EXPECT_EQ(error, path("junk.gz") + ": corrupt gzip file: trailing garbage "
                                     "after the compressed stream");
}

TEST_F(IdxReaderTest, MissingFile) {
  std::string error;
  IdxImages images;
  EXPECT_FALSE(readIdxImages(path("nope"), images, error));
  EXPECT_EQ(error, path("nope") + ": cannot open: No such file or directory");
  EXPECT_FALSE(readIdxImages(dir, images, error));
  EXPECT_EQ(error, dir + ": is a directory");

  TRACE_SEED();
  writeDataset(dir, /*gz=*/true, 10, 5, 4, 4);
  std::filesystem::remove(path("t10k-labels-idx1-ubyte.gz"));
  Dataset ds;
  EXPECT_FALSE(loadDataset(dir, ds, error));
  EXPECT_EQ(error, path("t10k-labels-idx1-ubyte") + ": file not found (tried " +
                       path("t10k-labels-idx1-ubyte") + " and " +
                       path("t10k-labels-idx1-ubyte.gz") + ")");

  EXPECT_FALSE(loadDataset(path("no-such-dir"), ds, error));
  EXPECT_EQ(error, path("no-such-dir") + ": dataset directory not found");
}

TEST_F(IdxReaderTest, LoadDatasetRawAndGzip) {
  TRACE_SEED();
  for (bool gz : {false, true}) {
    SCOPED_TRACE(gz ? "gzip" : "raw");
    std::string d = path(gz ? "gz" : "raw");
    ASSERT_TRUE(std::filesystem::create_directory(d));
    writeDataset(d, gz, 12, 6, 5, 4);
    Dataset ds;
    std::string error;
    ASSERT_TRUE(loadDataset(d + "/", ds, error)) << error;
    EXPECT_EQ(ds.trainImages.count, 12);
    EXPECT_EQ(ds.trainLabels.count, 12);
    EXPECT_EQ(ds.testImages.count, 6);
    EXPECT_EQ(ds.testLabels.count, 6);
    EXPECT_EQ(ds.testImages.rows, 5);
    EXPECT_EQ(ds.testImages.cols, 4);
    EXPECT_EQ(ds.trainImages.pixels.size(), 12u * 5 * 4);
  }
}

TEST_F(IdxReaderTest, LoadDatasetPrefersRaw) {
  TRACE_SEED();
  writeDataset(dir, /*gz=*/true, 8, 4, 3, 3);
  IdxImages raw = randomImages(rng, 8, 3, 3);
  raw.pixels[0] = 77; // Make sure it differs from the .gz one.
  writeRaw(path("train-images-idx3-ubyte"), imagesFile(raw));
  Dataset ds;
  std::string error;
  ASSERT_TRUE(loadDataset(dir, ds, error)) << error;
  EXPECT_EQ(ds.trainImages.pixels, raw.pixels);
}

TEST_F(IdxReaderTest, CountMismatch) {
  TRACE_SEED();
  writeDataset(dir, /*gz=*/false, 10, 5, 4, 4);
  writeRaw(path("train-labels-idx1-ubyte"), labelsFile(randomLabels(rng, 9)));
  Dataset ds;
  std::string error;
  EXPECT_FALSE(loadDataset(dir, ds, error));
  EXPECT_EQ(error, path("train-labels-idx1-ubyte") + ": 9 labels but " +
                       path("train-images-idx3-ubyte") + " has 10 images");
  EXPECT_EQ(ds.trainImages.count, 0) << "output modified on failure";
}

TEST_F(IdxReaderTest, TrainTestImageSizeMismatch) {
  TRACE_SEED();
  writeDataset(dir, /*gz=*/false, 10, 5, 4, 4);
  writeRaw(path("t10k-images-idx3-ubyte"),
           imagesFile(randomImages(rng, 5, 4, 3)));
  Dataset ds;
  std::string error;
  EXPECT_FALSE(loadDataset(dir, ds, error));
  EXPECT_EQ(error, path("t10k-images-idx3-ubyte") +
                       ": images are 4x3 but training images in " +
                       path("train-images-idx3-ubyte") + " are 4x4");
}

TEST_F(IdxReaderTest, LoadDatasetReportsFileErrors) {
  TRACE_SEED();
  writeDataset(dir, /*gz=*/true, 10, 5, 4, 4);
  Bytes gz = readBytes(path("t10k-images-idx3-ubyte.gz"));
  gz.resize(gz.size() - 3);
  writeRaw(path("t10k-images-idx3-ubyte.gz"), gz);
  Dataset ds;
  std::string error;
  EXPECT_FALSE(loadDataset(dir, ds, error));
  EXPECT_TRUE(startsWith(error, path("t10k-images-idx3-ubyte.gz") +
                                ": truncated gzip file"));
}

TEST_F(IdxReaderTest, CheckLabels) {
  IdxLabels labels;
  labels.count = 6;
  labels.labels = {0, 9, 3, 10, 255, 1};
  std::string error;
  EXPECT_TRUE(checkLabels(labels, 256, "lbl", error)) << error;
  EXPECT_FALSE(checkLabels(labels, 10, "lbl", error));
  EXPECT_EQ(error, "lbl: label 10 at index 3 is out of range for 10 classes "
                   "(2 labels out of range)");
  EXPECT_FALSE(checkLabels(labels, 0, "lbl", error));
  EXPECT_EQ(error, "lbl: number of classes must be positive, got 0");
  labels.labels = {0, 9, 3};
  labels.count = 3;
  EXPECT_TRUE(checkLabels(labels, 10, "lbl", error)) << error;
  EXPECT_TRUE(checkLabels(IdxLabels(), 1, "lbl", error)) << error;
}

TEST_F(IdxReaderTest, GatherImages) {
  IdxImages images;
  images.count = 3;
  images.rows = 1;
  images.cols = 2;
  images.pixels = {0, 255, 128, 1, 51, 204};
  const int64_t indices[] = {2, 0, 2, 1};
  std::array<float, 8> dst;
  dst.fill(-1.0f);
  gatherImages(images, indices, 4, dst.data());
  const std::array<float, 8> expected = {51 / 255.0f, 204 / 255.0f, 0.0f,
                                         1.0f,        51 / 255.0f,  204 / 255.0f,
                                         128 / 255.0f, 1 / 255.0f};
  EXPECT_EQ(dst, expected);
  EXPECT_FLOAT_EQ(dst[4], 0.2f);
  EXPECT_FLOAT_EQ(dst[5], 0.8f);

  // n == 0 writes nothing.
  dst.fill(-1.0f);
  gatherImages(images, indices, 0, dst.data());
  EXPECT_EQ(dst[0], -1.0f);
}

TEST_F(IdxReaderTest, GatherImagesFullRange) {
  TRACE_SEED();
  IdxImages images = randomImages(rng, 16, 4, 4);
  std::vector<int64_t> indices(16);
  for (int64_t i = 0; i < 16; ++i)
    indices[i] = 15 - i;
  std::vector<float> dst(16 * 16);
  gatherImages(images, indices.data(), 16, dst.data());
  for (int64_t i = 0; i < 16; ++i)
    for (int64_t j = 0; j < 16; ++j) {
      float v = dst[i * 16 + j];
      ASSERT_EQ(v, images.pixels[(15 - i) * 16 + j] / 255.0f);
      ASSERT_GE(v, 0.0f);
      ASSERT_LE(v, 1.0f);
    }
}

TEST(IdxReaderRealData, MnistDigits10k) {
  const std::string dataDir = DLC_TEST_DATA_DIR;
  if (!std::filesystem::is_directory(dataDir))
    GTEST_SKIP() << "dataset not found at " << dataDir;
  Dataset ds;
  std::string error;
  ASSERT_TRUE(loadDataset(dataDir, ds, error)) << error;
  EXPECT_EQ(ds.trainImages.count, 8000);
  EXPECT_EQ(ds.trainLabels.count, 8000);
  EXPECT_EQ(ds.testImages.count, 2000);
  EXPECT_EQ(ds.testLabels.count, 2000);
  for (const IdxImages *images : {&ds.trainImages, &ds.testImages}) {
    EXPECT_EQ(images->rows, 28);
    EXPECT_EQ(images->cols, 28);
  }
  EXPECT_TRUE(checkLabels(ds.trainLabels, 10, "train", error)) << error;
  EXPECT_TRUE(checkLabels(ds.testLabels, 10, "test", error)) << error;

  std::array<int64_t, 10> histogram{};
  for (const IdxLabels *labels : {&ds.trainLabels, &ds.testLabels})
    for (uint8_t l : labels->labels)
      if (l < 10)
        ++histogram[l];
  const std::array<int64_t, 10> expected = {1001, 1127, 991, 1032, 980,
                                            863,  1014, 1070, 944, 978};
  EXPECT_EQ(histogram, expected);
}

} // namespace
