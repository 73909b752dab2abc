//===- ReferenceExecutorTest.cpp - the double-precision oracle ------------===//
//
// Every op against hand-computed values on tiny shapes, the adjoint
// identities of the linear ops on random data, optimizer steps, parameter
// initialisation and error reporting.
//
// Random data comes from a fresh seed each run, printed on failure; set
// DLC_TEST_SEED=<n> to replay one.
//
//===----------------------------------------------------------------------===//

#include "dlc/Reference/ReferenceExecutor.h"

#include "dlc/Dialect/DL/IR/DLDialect.h"
#include "dlc/Dialect/DL/IR/DLOps.h"
#include "init/ParamInit.h"
#include "TestRng.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace ref = dlc::reference;
namespace rt = dlc::runtime;
using ref::LeafValues;
using ref::Tensor;
using Shape = std::vector<int64_t>;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

using dlc::test::Rng;

/// tensor<2x3xf32>, tensor<f32>.
std::string tt(const Shape &shape, const char *element = "f32") {
  std::string text = "tensor<";
  for (int64_t d : shape)
    text += std::to_string(d) + "x";
  return text + element + ">";
}

Tensor scalar(double v) { return Tensor{{}, {v}}; }

double dot(const Tensor &a, const Tensor &b) {
  EXPECT_EQ(a.shape, b.shape);
  double sum = 0.0;
  for (size_t i = 0; i < a.data.size() && i < b.data.size(); ++i)
    sum += a.data[i] * b.data[i];
  return sum;
}

void expectTensor(const Tensor &actual, const Shape &shape,
                  const std::vector<double> &expected, double tol = 1e-12) {
  ASSERT_EQ(actual.shape, shape);
  ASSERT_EQ(actual.data.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(actual.data[i], expected[i], tol) << "at flat index " << i;
}

/// Relative closeness for sums whose magnitude depends on the data.
void expectClose(double a, double b, double rel = 1e-9) {
  EXPECT_NEAR(a, b, rel * std::max({1.0, std::fabs(a), std::fabs(b)}));
}

class ReferenceTest : public ::testing::Test {
protected:
  ReferenceTest() {
    context.loadDialect<dlc::dl::DLDialect, mlir::func::FuncDialect>();
  }

  /// Parses a module and returns its function @f (or the first function).
  mlir::func::FuncOp parse(const std::string &source) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    EXPECT_TRUE(module) << "cannot parse:\n" << source;
    if (!module)
      return {};
    EXPECT_TRUE(mlir::succeeded(mlir::verify(*module)));
    mlir::func::FuncOp func = module->lookupSymbol<mlir::func::FuncOp>("f");
    if (!func)
      for (auto candidate : module->getOps<mlir::func::FuncOp>()) {
        func = candidate;
        break;
      }
    modules.push_back(std::move(module));
    return func;
  }

  /// Runs with diagnostics captured in `diagnostics`.
  mlir::FailureOr<std::vector<Tensor>> run(mlir::func::FuncOp func,
                                           std::vector<Tensor> args,
                                           const LeafValues &leaves = {}) {
    diagnostics.clear();
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      diagnostics += d.str();
      diagnostics += "\n";
      return mlir::success();
    });
    return ref::run(func, args, leaves);
  }

  /// Runs and expects success.
  std::vector<Tensor> runOk(mlir::func::FuncOp func, std::vector<Tensor> args,
                            const LeafValues &leaves = {}) {
    auto results = run(func, std::move(args), leaves);
    EXPECT_TRUE(mlir::succeeded(results)) << diagnostics;
    return mlir::succeeded(results) ? *results : std::vector<Tensor>{};
  }

  /// Runs and expects a failure whose message contains `needle`.
  void expectError(mlir::func::FuncOp func, std::vector<Tensor> args,
                   const std::string &needle, const LeafValues &leaves = {}) {
    auto results = run(func, std::move(args), leaves);
    EXPECT_TRUE(mlir::failed(results));
    EXPECT_NE(diagnostics.find(needle), std::string::npos)
        << "diagnostics were: " << diagnostics;
  }

  mlir::MLIRContext context;
  std::vector<mlir::OwningOpRef<mlir::ModuleOp>> modules;
  std::string diagnostics;
};

//===----------------------------------------------------------------------===//
// Forward ops on hand-computed values
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, DenseWithAndWithoutBias) {
  auto f = parse(R"(
    func.func @f(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %b: tensor<2xf32>)
        -> (tensor<2x2xf32>, tensor<2x2xf32>) {
      %0 = dl.dense %x, %w, %b : tensor<2x3xf32>, tensor<3x2xf32>, tensor<2xf32> -> tensor<2x2xf32>
      %1 = dl.dense %x, %w : tensor<2x3xf32>, tensor<3x2xf32> -> tensor<2x2xf32>
      return %0, %1 : tensor<2x2xf32>, tensor<2x2xf32>
    })");
  Tensor x{{2, 3}, {1, 2, 3, 4, 5, 6}};
  Tensor w{{3, 2}, {1, -1, 0, 2, 0.5, 1}};
  Tensor b{{2}, {10, 20}};
  auto r = runOk(f, {x, w, b});
  ASSERT_EQ(r.size(), 2u);
  // Row 0: [1+0+1.5, -1+4+3] = [2.5, 6]; row 1: [4+0+3, -4+10+6] = [7, 12].
  expectTensor(r[0], {2, 2}, {12.5, 26, 17, 32});
  expectTensor(r[1], {2, 2}, {2.5, 6, 7, 12});
}

TEST_F(ReferenceTest, ReluSigmoidAdd) {
  auto f = parse(R"(
    func.func @f(%x: tensor<1x5xf32>, %y: tensor<1x5xf32>)
        -> (tensor<1x5xf32>, tensor<1x5xf32>, tensor<1x5xf32>) {
      %0 = dl.relu %x : tensor<1x5xf32>
      %1 = dl.sigmoid %x : tensor<1x5xf32>
      %2 = dl.add %x, %y : tensor<1x5xf32>
      return %0, %1, %2 : tensor<1x5xf32>, tensor<1x5xf32>, tensor<1x5xf32>
    })");
  Tensor x{{1, 5}, {-2, 0, 3, 1000, -1000}};
  Tensor y{{1, 5}, {1, 2, 3, 4, 5}};
  auto r = runOk(f, {x, y});
  ASSERT_EQ(r.size(), 3u);
  expectTensor(r[0], {1, 5}, {0, 0, 3, 1000, 0});
  expectTensor(r[1], {1, 5},
               {1 / (1 + std::exp(2.0)), 0.5, 1 / (1 + std::exp(-3.0)), 1, 0},
               1e-15);
  for (double v : r[1].data)
    EXPECT_TRUE(std::isfinite(v));
  expectTensor(r[2], {1, 5}, {-1, 2, 6, 1004, -995});
}

TEST_F(ReferenceTest, FlattenAndReshapeKeepRowMajorData) {
  auto f = parse(R"(
    func.func @f(%x: tensor<2x1x2x3xf32>) -> (tensor<2x6xf32>, tensor<3x4xf32>) {
      %0 = dl.flatten %x : tensor<2x1x2x3xf32> -> tensor<2x6xf32>
      %1 = dl.reshape %0 : tensor<2x6xf32> -> tensor<3x4xf32>
      return %0, %1 : tensor<2x6xf32>, tensor<3x4xf32>
    })");
  Tensor x{{2, 1, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}};
  auto r = runOk(f, {x});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {2, 6}, x.data);
  expectTensor(r[1], {3, 4}, x.data);
}

TEST_F(ReferenceTest, ConstantIsASplat) {
  auto f = parse(R"(
    func.func @f() -> (tensor<f32>, tensor<2x2xf32>) {
      %0 = dl.constant 1.0 : tensor<f32>
      %1 = dl.constant -2.5 : tensor<2x2xf32>
      return %0, %1 : tensor<f32>, tensor<2x2xf32>
    })");
  auto r = runOk(f, {});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {}, {1.0});
  expectTensor(r[1], {2, 2}, {-2.5, -2.5, -2.5, -2.5});
}

// 3x3 input and filter, stride 2, padding 1 -> 2x2, written out by hand.
TEST_F(ReferenceTest, Conv2DStride2Padding1ByHand) {
  auto f = parse(R"(
    func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>)
        -> tensor<1x1x2x2xf32> {
      %0 = dl.conv2d %x, %w, %b stride 2 padding 1 : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32> -> tensor<1x1x2x2xf32>
      return %0 : tensor<1x1x2x2xf32>
    })");
  // x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2,3],[4,5,6],[7,8,9]].
  Tensor x{{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  Tensor w{{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  Tensor b{{1}, {0.5}};
  auto r = runOk(f, {x, w, b});
  ASSERT_EQ(r.size(), 1u);
  // (0,0): rows/cols -1..1, so x[0..1][0..1] meets w[1..2][1..2]:
  //        1*5 + 2*6 + 4*8 + 5*9 = 94
  // (0,1): rows -1..1, cols 1..3: x[0..1][1..2] meets w[1..2][0..1]:
  //        2*4 + 3*5 + 5*7 + 6*8 = 106
  // (1,0): rows 1..3, cols -1..1: x[1..2][0..1] meets w[0..1][1..2]:
  //        4*2 + 5*3 + 7*5 + 8*6 = 106
  // (1,1): rows 1..3, cols 1..3: x[1..2][1..2] meets w[0..1][0..1]:
  //        5*1 + 6*2 + 8*4 + 9*5 = 94
  expectTensor(r[0], {1, 1, 2, 2}, {94.5, 106.5, 106.5, 94.5});
}

TEST_F(ReferenceTest, Conv2DChannelsByHand) {
  // 1x1 kernels mix channels: y[f] = sum_c w[f,c] x[c] + b[f].
  auto f = parse(R"(
    func.func @f(%x: tensor<1x2x1x2xf32>, %w: tensor<3x2x1x1xf32>, %b: tensor<3xf32>)
        -> tensor<1x3x1x2xf32> {
      %0 = dl.conv2d %x, %w, %b stride 1 padding 0 : tensor<1x2x1x2xf32>, tensor<3x2x1x1xf32>, tensor<3xf32> -> tensor<1x3x1x2xf32>
      return %0 : tensor<1x3x1x2xf32>
    })");
  Tensor x{{1, 2, 1, 2}, {1, 2, /*channel 1*/ 10, 20}};
  Tensor w{{3, 2, 1, 1}, {1, 0, 0, 1, 2, -1}};
  Tensor b{{3}, {0, 0, 100}};
  auto r = runOk(f, {x, w, b});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 3, 1, 2}, {1, 2, 10, 20, 100 - 8, 100 - 16});
}

// A filter as large as the input is a dense layer on the flattened input.
TEST_F(ReferenceTest, Conv2DFullKernelEqualsDense) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto f = parse(R"(
    func.func @f(%x: tensor<3x2x4x5xf32>, %w: tensor<4x2x4x5xf32>, %b: tensor<4xf32>)
        -> tensor<3x4x1x1xf32> {
      %0 = dl.conv2d %x, %w, %b stride 1 padding 0 : tensor<3x2x4x5xf32>, tensor<4x2x4x5xf32>, tensor<4xf32> -> tensor<3x4x1x1xf32>
      return %0 : tensor<3x4x1x1xf32>
    })");
  Tensor x = rng.tensor({3, 2, 4, 5}), w = rng.tensor({4, 2, 4, 5}),
         b = rng.tensor({4});
  auto r = runOk(f, {x, w, b});
  ASSERT_EQ(r.size(), 1u);
  std::vector<double> expected;
  for (int n = 0; n < 3; ++n)
    for (int k = 0; k < 4; ++k) {
      double sum = b.data[k];
      for (int i = 0; i < 40; ++i)
        sum += x.data[n * 40 + i] * w.data[k * 40 + i];
      expected.push_back(sum);
    }
  expectTensor(r[0], {3, 4, 1, 1}, expected, 1e-12);
}

TEST_F(ReferenceTest, MaxPoolPicksMaximaAndPaddingNeverWins) {
  auto f = parse(R"(
    func.func @f(%x: tensor<1x1x3x3xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
      %0 = dl.max_pool2d %x kernel 2 stride 1 padding 0 : tensor<1x1x3x3xf32> -> tensor<1x1x2x2xf32>
      %1 = dl.max_pool2d %x kernel 2 stride 2 padding 1 : tensor<1x1x3x3xf32> -> tensor<1x1x2x2xf32>
      return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
    })");
  Tensor x{{1, 1, 3, 3}, {1, 5, 2, 7, 3, 9, 4, 8, 6}};
  auto r = runOk(f, {x});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {1, 1, 2, 2}, {7, 9, 8, 9});
  // Padded windows: (0,0) sees x[0][0]; (0,1) x[0][1..2]; (1,0) x[1..2][0];
  // (1,1) x[1..2][1..2].
  expectTensor(r[1], {1, 1, 2, 2}, {1, 5, 7, 9});

  // All-negative input: the zero padding must not be the maximum.
  Tensor negative{{1, 1, 3, 3}, {-5, -4, -3, -2, -1, -6, -7, -8, -9}};
  r = runOk(f, {negative});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[1], {1, 1, 2, 2}, {-5, -3, -2, -1});
}

TEST_F(ReferenceTest, MaxPoolGradRoutesToFirstArgMax) {
  auto f = parse(R"(
    func.func @f(%dy: tensor<1x1x2x2xf32>, %x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
      %0 = dl.max_pool2d_grad %dy, %x kernel 2 stride 1 padding 0 : tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>
      return %0 : tensor<1x1x3x3xf32>
    })");
  Tensor dy{{1, 1, 2, 2}, {1, 2, 3, 4}};
  // Distinct values: overlapping windows accumulate on the shared maximum 9.
  Tensor x{{1, 1, 3, 3}, {1, 5, 2, 7, 3, 9, 4, 8, 6}};
  auto r = runOk(f, {dy, x});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 1, 3, 3}, {0, 0, 0, 1, 0, 6, 0, 3, 0});

  // All equal: every window's first position (row-major) wins.
  Tensor flat{{1, 1, 3, 3}, {3, 3, 3, 3, 3, 3, 3, 3, 3}};
  r = runOk(f, {dy, flat});
  ASSERT_EQ(r.size(), 1u);
  expectTensor(r[0], {1, 1, 3, 3}, {1, 2, 0, 3, 4, 0, 0, 0, 0});

  // Tie inside a window that is not at its first position: [[0,4],[4,1]].
  Tensor tie{{1, 1, 3, 3}, {0, 4, 0, 4, 1, 0, 0, 0, 0}};
  r = runOk(f, {dy, tie});
  ASSERT_EQ(r.size(), 1u);
  // Window (0,0) -> (0,1); (0,1) -> (0,1); (1,0) -> (1,0); (1,1) -> (1,1).
  expectTensor(r[0], {1, 1, 3, 3}, {0, 1 + 2, 0, 3, 4, 0, 0, 0, 0});
}

TEST_F(ReferenceTest, MaxPoolGradWithPaddingSkipsPaddedPositions) {
  auto f = parse(R"(
    func.func @f(%dy: tensor<1x1x2x2xf32>, %x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
      %0 = dl.max_pool2d_grad %dy, %x kernel 2 stride 2 padding 1 : tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>
      return %0 : tensor<1x1x3x3xf32>
    })");
  Tensor dy{{1, 1, 2, 2}, {1, 2, 3, 4}};
  Tensor negative{{1, 1, 3, 3}, {-5, -4, -3, -2, -1, -6, -7, -8, -9}};
  auto r = runOk(f, {dy, negative});
  ASSERT_EQ(r.size(), 1u);
  // Maxima -5 at (0,0), -3 at (0,2), -2 at (1,0), -1 at (1,1).
  expectTensor(r[0], {1, 1, 3, 3}, {1, 0, 2, 3, 4, 0, 0, 0, 0});
}

TEST_F(ReferenceTest, AvgPoolCountsPaddingInTheDivisor) {
  auto f = parse(R"(
    func.func @f(%x: tensor<1x1x2x2xf32>, %y: tensor<1x1x3x3xf32>)
        -> (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) {
      %0 = dl.avg_pool2d %x kernel 2 stride 2 padding 1 : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
      %1 = dl.avg_pool2d %y kernel 3 stride 1 padding 1 : tensor<1x1x3x3xf32> -> tensor<1x1x3x3xf32>
      return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>
    })");
  Tensor x{{1, 1, 2, 2}, {1, 2, 3, 4}};
  Tensor y{{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  auto r = runOk(f, {x, y});
  ASSERT_EQ(r.size(), 2u);
  // Each padded window holds one real element; divisor 4.
  expectTensor(r[0], {1, 1, 2, 2}, {0.25, 0.5, 0.75, 1.0});
  // 3x3 windows, divisor 9: corners see 4 elements, edges 6, centre 9.
  expectTensor(r[1], {1, 1, 3, 3},
               {12 / 9.0, 21 / 9.0, 16 / 9.0, 27 / 9.0, 45 / 9.0, 33 / 9.0,
                24 / 9.0, 39 / 9.0, 28 / 9.0});
}

TEST_F(ReferenceTest, AvgPoolGradSpreadsOverInBoundsPositions) {
  auto f = parse(R"(
    func.func @f(%dy: tensor<1x1x2x2xf32>, %dz: tensor<1x1x2x2xf32>)
        -> (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) {
      %0 = dl.avg_pool2d_grad %dy kernel 2 stride 2 padding 1 : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
      %1 = dl.avg_pool2d_grad %dz kernel 2 stride 1 padding 0 : tensor<1x1x2x2xf32> -> tensor<1x1x3x3xf32>
      return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>
    })");
  Tensor dy{{1, 1, 2, 2}, {1, 2, 3, 4}};
  Tensor dz{{1, 1, 2, 2}, {4, 8, 12, 16}};
  auto r = runOk(f, {dy, dz});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {1, 1, 2, 2}, {0.25, 0.5, 0.75, 1.0});
  // Overlapping 2x2 windows with stride 1, each giving dz/4 to its cells.
  expectTensor(r[1], {1, 1, 3, 3}, {1, 3, 2, 4, 10, 6, 3, 7, 4});
}

TEST_F(ReferenceTest, SoftmaxCEOnKnownLogits) {
  auto f = parse(R"(
    func.func @f(%z: tensor<3x3xf32>, %l: tensor<3xi32>) -> (tensor<f32>, tensor<i32>) {
      %loss, %correct = dl.softmax_ce %z, %l : tensor<3x3xf32>, tensor<3xi32>
      return %loss, %correct : tensor<f32>, tensor<i32>
    })");
  // Row 0 is right (arg-max 2); row 1 is a three-way tie whose first
  // arg-max 0 is not the label 1; row 2 is a tie whose first arg-max 0 is
  // the label.
  Tensor z{{3, 3}, {1, 2, 3, 0, 0, 0, 5, 5, 1}};
  Tensor labels{{3}, {2, 1, 0}};
  auto r = runOk(f, {z, labels});
  ASSERT_EQ(r.size(), 2u);
  double row0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3;
  double row1 = std::log(3.0);
  double row2 = std::log(2 * std::exp(5.0) + std::exp(1.0)) - 5;
  expectTensor(r[0], {}, {(row0 + row1 + row2) / 3}, 1e-13);
  expectTensor(r[1], {}, {2});
}

TEST_F(ReferenceTest, SoftmaxCEStaysFiniteForLargeLogits) {
  auto f = parse(R"(
    func.func @f(%z: tensor<2x3xf32>, %l: tensor<2xi32>, %g: tensor<f32>)
        -> (tensor<f32>, tensor<i32>, tensor<2x3xf32>) {
      %loss, %correct = dl.softmax_ce %z, %l : tensor<2x3xf32>, tensor<2xi32>
      %grad = dl.softmax_ce_grad %z, %l, %g : tensor<2x3xf32>, tensor<2xi32>, tensor<f32>
      return %loss, %correct, %grad : tensor<f32>, tensor<i32>, tensor<2x3xf32>
    })");
  Tensor z{{2, 3}, {1000, 0, -1000, 1000, 1000, 0}};
  Tensor labels{{2}, {0, 2}};
  auto r = runOk(f, {z, labels, scalar(1.0)});
  ASSERT_EQ(r.size(), 3u);
  // Row 0: ~0; row 1: log(2 e^1000) - 0 = 1000 + log 2.
  expectTensor(r[0], {}, {(0 + 1000 + std::log(2.0)) / 2}, 1e-9);
  expectTensor(r[1], {}, {1});
  for (double v : r[2].data)
    EXPECT_TRUE(std::isfinite(v));
  expectTensor(r[2], {2, 3}, {0, 0, 0, 0.25, 0.25, -0.5}, 1e-12);
}

TEST_F(ReferenceTest, SoftmaxCEGradMatchesFormulaAndFiniteDifferences) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto f = parse(R"(
    func.func @f(%z: tensor<4x5xf32>, %l: tensor<4xi32>, %g: tensor<f32>)
        -> (tensor<f32>, tensor<4x5xf32>) {
      %loss, %correct = dl.softmax_ce %z, %l : tensor<4x5xf32>, tensor<4xi32>
      %grad = dl.softmax_ce_grad %z, %l, %g : tensor<4x5xf32>, tensor<4xi32>, tensor<f32>
      return %loss, %grad : tensor<f32>, tensor<4x5xf32>
    })");
  Tensor z = rng.tensor({4, 5});
  for (double &v : z.data)
    v *= 3;
  Tensor labels = rng.labels(4, 5);
  double g = 2.5;
  auto r = runOk(f, {z, labels, scalar(g)});
  ASSERT_EQ(r.size(), 2u);
  for (int n = 0; n < 4; ++n) {
    double sum = 0;
    for (int k = 0; k < 5; ++k)
      sum += std::exp(z.data[n * 5 + k]);
    for (int k = 0; k < 5; ++k) {
      double p = std::exp(z.data[n * 5 + k]) / sum;
      double expected = (p - (k == labels.data[n] ? 1 : 0)) * g / 4;
      EXPECT_NEAR(r[1].data[n * 5 + k], expected, 1e-14);
    }
  }
  // d(g * loss)/dz by central differences.
  const double h = 1e-5;
  for (size_t i = 0; i < z.data.size(); ++i) {
    Tensor plus = z, minus = z;
    plus.data[i] += h;
    minus.data[i] -= h;
    double lp = runOk(f, {plus, labels, scalar(g)})[0].data[0];
    double lm = runOk(f, {minus, labels, scalar(g)})[0].data[0];
    EXPECT_NEAR(r[1].data[i], g * (lp - lm) / (2 * h), 1e-8) << "index " << i;
  }
}

TEST_F(ReferenceTest, SoftmaxCEEvalMasksPaddingRows) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto padded = parse(R"(
    func.func @f(%z: tensor<5x4xf32>, %l: tensor<5xi32>, %rows: i32) -> (tensor<f32>, tensor<i32>) {
      %loss, %correct = dl.softmax_ce_eval %z, %l, %rows : tensor<5x4xf32>, tensor<5xi32>
      return %loss, %correct : tensor<f32>, tensor<i32>
    })");
  auto unpadded = parse(R"(
    func.func @f(%z: tensor<3x4xf32>, %l: tensor<3xi32>) -> (tensor<f32>, tensor<i32>) {
      %loss, %correct = dl.softmax_ce %z, %l : tensor<3x4xf32>, tensor<3xi32>
      return %loss, %correct : tensor<f32>, tensor<i32>
    })");
  Tensor z = rng.tensor({5, 4});
  Tensor labels = rng.labels(5, 4);
  // Make row 0 right and row 1 wrong so `correct` is not trivially 0.
  z.data[0 * 4 + size_t(labels.data[0])] = 10;
  z.data[1 * 4 + (size_t(labels.data[1]) + 1) % 4] = 10;
  // Padding rows hold garbage, including labels no class has.
  labels.data[3] = 99;
  labels.data[4] = -7;
  z.data[16] = 1e30;

  Tensor head{{3, 4}, std::vector<double>(z.data.begin(), z.data.begin() + 12)};
  Tensor headLabels{
      {3}, std::vector<double>(labels.data.begin(), labels.data.begin() + 3)};
  auto expected = runOk(unpadded, {head, headLabels});
  auto r = runOk(padded, {z, labels, scalar(3)});
  ASSERT_EQ(r.size(), 2u);
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_NEAR(r[0].data[0], 3 * expected[0].data[0], 1e-12);
  EXPECT_EQ(r[1].data[0], expected[1].data[0]);
  EXPECT_GE(r[1].data[0], 1);
  EXPECT_LE(r[1].data[0], 2);
  EXPECT_EQ(r[0].shape, Shape{});

  auto none = runOk(padded, {z, labels, scalar(0)});
  ASSERT_EQ(none.size(), 2u);
  EXPECT_EQ(none[0].data[0], 0);
  EXPECT_EQ(none[1].data[0], 0);

  // Full batch (with valid labels) equals N times the mean.
  labels.data[3] = 0;
  labels.data[4] = 1;
  z.data[16] = 0.5;
  auto fullMean = parse(R"(
    func.func @f(%z: tensor<5x4xf32>, %l: tensor<5xi32>) -> (tensor<f32>, tensor<i32>) {
      %loss, %correct = dl.softmax_ce %z, %l : tensor<5x4xf32>, tensor<5xi32>
      return %loss, %correct : tensor<f32>, tensor<i32>
    })");
  auto mean = runOk(fullMean, {z, labels});
  auto all = runOk(padded, {z, labels, scalar(5)});
  ASSERT_EQ(mean.size(), 2u);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NEAR(all[0].data[0], 5 * mean[0].data[0], 1e-12);
  EXPECT_EQ(all[1].data[0], mean[1].data[0]);

  expectError(padded, {z, labels, scalar(6)}, "valid_rows 6 is outside [0, 5]");
  expectError(padded, {z, labels, scalar(-1)}, "valid_rows -1 is outside");
}

//===----------------------------------------------------------------------===//
// Gradient ops on hand-computed values
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, DenseGradsByHand) {
  auto f = parse(R"(
    func.func @f(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %dy: tensor<2x2xf32>)
        -> (tensor<2x3xf32>, tensor<3x2xf32>) {
      %0 = dl.dense_grad_input %dy, %w : tensor<2x2xf32>, tensor<3x2xf32>
      %1 = dl.dense_grad_weight %x, %dy : tensor<2x3xf32>, tensor<2x2xf32>
      return %0, %1 : tensor<2x3xf32>, tensor<3x2xf32>
    })");
  Tensor x{{2, 3}, {1, 2, 3, 4, 5, 6}};
  Tensor w{{3, 2}, {1, -1, 0, 2, 0.5, 1}};
  Tensor dy{{2, 2}, {1, 2, 3, 4}};
  auto r = runOk(f, {x, w, dy});
  ASSERT_EQ(r.size(), 2u);
  // dx = dy . w^T: row 0 [1-2, 0+4, 0.5+2], row 1 [3-4, 0+8, 1.5+4].
  expectTensor(r[0], {2, 3}, {-1, 4, 2.5, -1, 8, 5.5});
  // dw = x^T . dy: dw[k,u] = x[0,k] dy[0,u] + x[1,k] dy[1,u].
  expectTensor(r[1], {3, 2}, {1 + 12, 2 + 16, 2 + 15, 4 + 20, 3 + 18, 6 + 24});
}

TEST_F(ReferenceTest, BiasGradSumsAllButDimOne) {
  auto f = parse(R"(
    func.func @f(%a: tensor<2x3xf32>, %b: tensor<2x2x1x2xf32>) -> (tensor<3xf32>, tensor<2xf32>) {
      %0 = dl.bias_grad %a : tensor<2x3xf32> -> tensor<3xf32>
      %1 = dl.bias_grad %b : tensor<2x2x1x2xf32> -> tensor<2xf32>
      return %0, %1 : tensor<3xf32>, tensor<2xf32>
    })");
  Tensor a{{2, 3}, {1, 2, 3, 10, 20, 30}};
  // b[n][c][0][w]: n=0: c0 {1,2}, c1 {3,4}; n=1: c0 {5,6}, c1 {7,8}.
  Tensor b{{2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8}};
  auto r = runOk(f, {a, b});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {3}, {11, 22, 33});
  expectTensor(r[1], {2}, {1 + 2 + 5 + 6, 3 + 4 + 7 + 8});
}

TEST_F(ReferenceTest, ReluAndSigmoidGrads) {
  auto f = parse(R"(
    func.func @f(%dy: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
      %0 = dl.relu_grad %dy, %y : tensor<4xf32>
      %1 = dl.sigmoid_grad %dy, %y : tensor<4xf32>
      return %0, %1 : tensor<4xf32>, tensor<4xf32>
    })");
  Tensor dy{{4}, {1, 2, 3, 4}};
  Tensor y{{4}, {0.5, 0, -1, 0.25}};
  auto r = runOk(f, {dy, y});
  ASSERT_EQ(r.size(), 2u);
  expectTensor(r[0], {4}, {1, 0, 0, 4});
  expectTensor(r[1], {4}, {0.25, 0, -6, 4 * 0.25 * 0.75});
}

TEST_F(ReferenceTest, Conv2DGradsByHand) {
  // 1x1x3x3 input, 1x1x2x2 filter, stride 1, padding 0 -> 2x2 output.
  auto f = parse(R"(
    func.func @f(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x2x2xf32>, %dy: tensor<1x1x2x2xf32>)
        -> (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) {
      %0 = dl.conv2d_grad_input %dy, %w stride 1 padding 0 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32> -> tensor<1x1x3x3xf32>
      %1 = dl.conv2d_grad_filter %x, %dy stride 1 padding 0 : tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
      return %0, %1 : tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>
    })");
  Tensor x{{1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  Tensor w{{1, 1, 2, 2}, {1, 2, 3, 4}};
  Tensor dy{{1, 1, 2, 2}, {1, 10, 100, 1000}};
  auto r = runOk(f, {x, w, dy});
  ASSERT_EQ(r.size(), 2u);
  // dx[i][j] = sum over outputs (oh,ow) with (i-oh, j-ow) in the filter.
  expectTensor(r[0], {1, 1, 3, 3},
               {1, 2 + 10, 20, 3 + 100, 4 + 30 + 200 + 1000, 40 + 2000, 300,
                400 + 3000, 4000});
  // dw[i][j] = sum_{oh,ow} dy[oh][ow] x[oh+i][ow+j].
  expectTensor(r[1], {1, 1, 2, 2},
               {1 + 20 + 400 + 5000, 2 + 30 + 500 + 6000, 4 + 50 + 700 + 8000,
                5 + 60 + 800 + 9000});
}

//===----------------------------------------------------------------------===//
// Adjoint identities on random data
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, Conv2DAdjointIdentities) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  int checked = 0;
  for (int64_t channels : {1, 3})
    for (int64_t stride : {1, 2})
      for (int64_t padding : {0, 1, 2})
        for (int64_t kernel = 1; kernel <= 5; ++kernel)
          for (auto [h, w] : {std::pair<int64_t, int64_t>{5, 7}, {6, 3}}) {
            int64_t kh = kernel, kw = kernel == 1 ? 2 : kernel - 1;
            if (kh > h + 2 * padding || kw > w + 2 * padding)
              continue;
            int64_t oh = dlc::dl::windowOutputSize(h, kh, stride, padding);
            int64_t ow = dlc::dl::windowOutputSize(w, kw, stride, padding);
            Shape xs{2, channels, h, w}, ws{3, channels, kh, kw},
                ys{2, 3, oh, ow};
            std::ostringstream src;
            src << "func.func @f(%x: " << tt(xs) << ", %w: " << tt(ws)
                << ", %dy: " << tt(ys) << ") -> (" << tt(ys) << ", " << tt(xs)
                << ", " << tt(ws) << ") {\n"
                << "  %y = dl.conv2d %x, %w stride " << stride << " padding "
                << padding << " : " << tt(xs) << ", " << tt(ws) << " -> "
                << tt(ys) << "\n"
                << "  %dx = dl.conv2d_grad_input %dy, %w stride " << stride
                << " padding " << padding << " : " << tt(ys) << ", " << tt(ws)
                << " -> " << tt(xs) << "\n"
                << "  %dw = dl.conv2d_grad_filter %x, %dy stride " << stride
                << " padding " << padding << " : " << tt(xs) << ", " << tt(ys)
                << " -> " << tt(ws) << "\n"
                << "  return %y, %dx, %dw : " << tt(ys) << ", " << tt(xs)
                << ", " << tt(ws) << "\n}\n";
            SCOPED_TRACE(src.str());
            auto f = parse(src.str());
            ASSERT_TRUE(f);
            Tensor x = rng.tensor(xs), wt = rng.tensor(ws), dy = rng.tensor(ys);
            auto r = runOk(f, {x, wt, dy});
            ASSERT_EQ(r.size(), 3u);
            double lhs = dot(r[0], dy);
            expectClose(lhs, dot(x, r[1]));
            expectClose(lhs, dot(wt, r[2]));
            ++checked;
          }
  EXPECT_GT(checked, 100);
}

TEST_F(ReferenceTest, PoolAdjointIdentities) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  int checked = 0;
  for (int64_t kernel = 1; kernel <= 4; ++kernel)
    for (int64_t stride = 1; stride <= 3; ++stride)
      for (int64_t padding = 0; 2 * padding <= kernel; ++padding)
        for (auto [h, w] : {std::pair<int64_t, int64_t>{5, 7}, {4, 3}}) {
          if (kernel > h + 2 * padding || kernel > w + 2 * padding)
            continue;
          int64_t oh = dlc::dl::windowOutputSize(h, kernel, stride, padding);
          int64_t ow = dlc::dl::windowOutputSize(w, kernel, stride, padding);
          Shape xs{2, 3, h, w}, ys{2, 3, oh, ow};
          std::ostringstream src;
          std::string attrs = " kernel " + std::to_string(kernel) + " stride " +
                              std::to_string(stride) + " padding " +
                              std::to_string(padding);
          src << "func.func @f(%x: " << tt(xs) << ", %dy: " << tt(ys)
              << ") -> (" << tt(ys) << ", " << tt(xs) << ", " << tt(ys) << ", "
              << tt(xs) << ") {\n"
              << "  %a = dl.avg_pool2d %x" << attrs << " : " << tt(xs) << " -> "
              << tt(ys) << "\n"
              << "  %da = dl.avg_pool2d_grad %dy" << attrs << " : " << tt(ys)
              << " -> " << tt(xs) << "\n"
              << "  %m = dl.max_pool2d %x" << attrs << " : " << tt(xs) << " -> "
              << tt(ys) << "\n"
              << "  %dm = dl.max_pool2d_grad %dy, %x" << attrs << " : "
              << tt(ys) << ", " << tt(xs) << "\n"
              << "  return %a, %da, %m, %dm : " << tt(ys) << ", " << tt(xs)
              << ", " << tt(ys) << ", " << tt(xs) << "\n}\n";
          SCOPED_TRACE(src.str());
          auto f = parse(src.str());
          ASSERT_TRUE(f);
          Tensor x = rng.tensor(xs), dy = rng.tensor(ys);
          auto r = runOk(f, {x, dy});
          ASSERT_EQ(r.size(), 4u);
          // avg_pool is linear: <avg(x), dy> == <x, avg_grad(dy)>.
          expectClose(dot(r[0], dy), dot(x, r[1]));
          // max_pool selects one input per window, and its gradient routes
          // dy to that input: <max(x), dy> == <x, max_grad(dy, x)>.
          expectClose(dot(r[2], dy), dot(x, r[3]));
          ++checked;
        }
  EXPECT_GT(checked, 20);
}

TEST_F(ReferenceTest, DenseAdjointIdentities) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  for (auto [n, k, u] : {std::tuple<int64_t, int64_t, int64_t>{1, 1, 1},
                         {3, 7, 5},
                         {8, 33, 10}}) {
    Shape xs{n, k}, ws{k, u}, ys{n, u};
    std::ostringstream src;
    src << "func.func @f(%x: " << tt(xs) << ", %w: " << tt(ws)
        << ", %dy: " << tt(ys) << ") -> (" << tt(ys) << ", " << tt(xs) << ", "
        << tt(ws) << ") {\n"
        << "  %y = dl.dense %x, %w : " << tt(xs) << ", " << tt(ws) << " -> "
        << tt(ys) << "\n"
        << "  %dx = dl.dense_grad_input %dy, %w : " << tt(ys) << ", " << tt(ws)
        << "\n"
        << "  %dw = dl.dense_grad_weight %x, %dy : " << tt(xs) << ", " << tt(ys)
        << "\n"
        << "  return %y, %dx, %dw : " << tt(ys) << ", " << tt(xs) << ", "
        << tt(ws) << "\n}\n";
    auto f = parse(src.str());
    ASSERT_TRUE(f);
    Tensor x = rng.tensor(xs), w = rng.tensor(ws), dy = rng.tensor(ys);
    auto r = runOk(f, {x, w, dy});
    ASSERT_EQ(r.size(), 3u);
    double lhs = dot(r[0], dy);
    expectClose(lhs, dot(x, r[1]));
    expectClose(lhs, dot(w, r[2]));
  }
}

//===----------------------------------------------------------------------===//
// A whole forward + backward graph against finite differences
//===----------------------------------------------------------------------===//

// conv -> sigmoid -> avg_pool -> conv -> relu -> max_pool -> flatten -> dense
// -> softmax_ce, with the backward graph written the way autodiff builds it.
constexpr const char *kSmallNet = R"(
  func.func @f(%x: tensor<2x2x7x7xf32>, %labels: tensor<2xi32>,
               %w1: tensor<3x2x3x3xf32>, %b1: tensor<3xf32>,
               %w2: tensor<4x3x2x2xf32>, %b2: tensor<4xf32>,
               %w3: tensor<4x3xf32>, %b3: tensor<3xf32>)
      -> (tensor<f32>, tensor<i32>, tensor<3x2x3x3xf32>, tensor<3xf32>,
          tensor<4x3x2x2xf32>, tensor<4xf32>, tensor<4x3xf32>, tensor<3xf32>,
          tensor<2x2x7x7xf32>) {
    %c1 = dl.conv2d %x, %w1, %b1 stride 1 padding 1 : tensor<2x2x7x7xf32>, tensor<3x2x3x3xf32>, tensor<3xf32> -> tensor<2x3x7x7xf32>
    %s1 = dl.sigmoid %c1 : tensor<2x3x7x7xf32>
    %p1 = dl.avg_pool2d %s1 kernel 2 stride 2 padding 1 : tensor<2x3x7x7xf32> -> tensor<2x3x4x4xf32>
    %c2 = dl.conv2d %p1, %w2, %b2 stride 2 padding 0 : tensor<2x3x4x4xf32>, tensor<4x3x2x2xf32>, tensor<4xf32> -> tensor<2x4x2x2xf32>
    %r2 = dl.relu %c2 : tensor<2x4x2x2xf32>
    %p2 = dl.max_pool2d %r2 kernel 2 stride 2 padding 0 : tensor<2x4x2x2xf32> -> tensor<2x4x1x1xf32>
    %f = dl.flatten %p2 : tensor<2x4x1x1xf32> -> tensor<2x4xf32>
    %z = dl.dense %f, %w3, %b3 : tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
    %loss, %correct = dl.softmax_ce %z, %labels : tensor<2x3xf32>, tensor<2xi32>

    %one = dl.constant 1.0 : tensor<f32>
    %dz = dl.softmax_ce_grad %z, %labels, %one : tensor<2x3xf32>, tensor<2xi32>, tensor<f32>
    %dw3 = dl.dense_grad_weight %f, %dz : tensor<2x4xf32>, tensor<2x3xf32>
    %db3 = dl.bias_grad %dz : tensor<2x3xf32> -> tensor<3xf32>
    %df = dl.dense_grad_input %dz, %w3 : tensor<2x3xf32>, tensor<4x3xf32>
    %dp2 = dl.reshape %df : tensor<2x4xf32> -> tensor<2x4x1x1xf32>
    %dr2 = dl.max_pool2d_grad %dp2, %r2 kernel 2 stride 2 padding 0 : tensor<2x4x1x1xf32>, tensor<2x4x2x2xf32>
    %dc2 = dl.relu_grad %dr2, %r2 : tensor<2x4x2x2xf32>
    %dw2 = dl.conv2d_grad_filter %p1, %dc2 stride 2 padding 0 : tensor<2x3x4x4xf32>, tensor<2x4x2x2xf32> -> tensor<4x3x2x2xf32>
    %db2 = dl.bias_grad %dc2 : tensor<2x4x2x2xf32> -> tensor<4xf32>
    %dp1 = dl.conv2d_grad_input %dc2, %w2 stride 2 padding 0 : tensor<2x4x2x2xf32>, tensor<4x3x2x2xf32> -> tensor<2x3x4x4xf32>
    %ds1 = dl.avg_pool2d_grad %dp1 kernel 2 stride 2 padding 1 : tensor<2x3x4x4xf32> -> tensor<2x3x7x7xf32>
    %dc1 = dl.sigmoid_grad %ds1, %s1 : tensor<2x3x7x7xf32>
    %dw1 = dl.conv2d_grad_filter %x, %dc1 stride 1 padding 1 : tensor<2x2x7x7xf32>, tensor<2x3x7x7xf32> -> tensor<3x2x3x3xf32>
    %db1 = dl.bias_grad %dc1 : tensor<2x3x7x7xf32> -> tensor<3xf32>
    %dx = dl.conv2d_grad_input %dc1, %w1 stride 1 padding 1 : tensor<2x3x7x7xf32>, tensor<3x2x3x3xf32> -> tensor<2x2x7x7xf32>
    return %loss, %correct, %dw1, %db1, %dw2, %db2, %dw3, %db3, %dx
        : tensor<f32>, tensor<i32>, tensor<3x2x3x3xf32>, tensor<3xf32>,
          tensor<4x3x2x2xf32>, tensor<4xf32>, tensor<4x3xf32>, tensor<3xf32>,
          tensor<2x2x7x7xf32>
  })";

TEST_F(ReferenceTest, SmallNetGradientsMatchFiniteDifferences) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto f = parse(kSmallNet);
  ASSERT_TRUE(f);
  std::vector<Tensor> args = {rng.tensor({2, 2, 7, 7}), rng.labels(2, 3),
                              rng.tensor({3, 2, 3, 3}), rng.tensor({3}),
                              rng.tensor({4, 3, 2, 2}), rng.tensor({4}),
                              rng.tensor({4, 3}),       rng.tensor({3})};
  // Keep relu inputs away from 0 and max-pool windows free of near-ties so
  // the loss is smooth within the finite-difference step: scale the second
  // conv up.
  for (double &v : args[4].data)
    v *= 4;
  auto r = runOk(f, args);
  ASSERT_EQ(r.size(), 9u);
  // (argument index, gradient result index)
  const std::pair<int, int> wrt[] = {{2, 2}, {3, 3}, {4, 4}, {5, 5},
                                     {6, 6}, {7, 7}, {0, 8}};
  const double h = 1e-6;
  for (auto [argIndex, gradIndex] : wrt) {
    const Tensor &grad = r[gradIndex];
    ASSERT_EQ(grad.shape, args[argIndex].shape);
    for (size_t i = 0; i < grad.data.size(); i += 1 + grad.data.size() / 12) {
      std::vector<Tensor> plus = args, minus = args;
      plus[argIndex].data[i] += h;
      minus[argIndex].data[i] -= h;
      double lp = runOk(f, plus)[0].data[0];
      double lm = runOk(f, minus)[0].data[0];
      EXPECT_NEAR(grad.data[i], (lp - lm) / (2 * h), 1e-6)
          << "argument " << argIndex << " index " << i;
    }
  }
}

//===----------------------------------------------------------------------===//
// Leaves, parameter initialisation and the optimizer
//===----------------------------------------------------------------------===//

constexpr const char *kLeafModel = R"(
  func.func @model() -> (tensor<f32>, tensor<i32>) {
    %image = dl.input "image" : tensor<4x1x4x4xf32>
    %label = dl.label "label" classes 3 : tensor<4xi32>
    %w1 = dl.param "conv.weight" init(#dl.glorot_uniform) {seed = 1 : i64} : tensor<2x1x3x3xf32>
    %b1 = dl.param "conv.bias" init(#dl.normal<mean = 0.0, std = 0.1>) {seed = 2 : i64} : tensor<2xf32>
    %0 = dl.conv2d %image, %w1, %b1 stride 1 padding 1 : tensor<4x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32> -> tensor<4x2x4x4xf32>
    %1 = dl.relu %0 : tensor<4x2x4x4xf32>
    %2 = dl.max_pool2d %1 kernel 2 stride 2 padding 0 : tensor<4x2x4x4xf32> -> tensor<4x2x2x2xf32>
    %3 = dl.flatten %2 : tensor<4x2x2x2xf32> -> tensor<4x8xf32>
    %w2 = dl.param "dense.weight" init(#dl.zeros) {seed = 3 : i64} : tensor<8x3xf32>
    %b2 = dl.param "dense.bias" init(#dl.uniform<low = 0.0, high = 0.0>) {seed = 4 : i64} : tensor<3xf32>
    %4 = dl.dense %3, %w2, %b2 : tensor<4x8xf32>, tensor<8x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
    %loss, %correct = dl.softmax_ce %4, %label : tensor<4x3xf32>, tensor<4xi32>
    return %loss, %correct : tensor<f32>, tensor<i32>
  })";

TEST_F(ReferenceTest, LeavesAndInitParams) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto f = parse(kLeafModel);
  ASSERT_TRUE(f);
  LeafValues leaves = ref::initParams(f, 1234);
  ASSERT_EQ(leaves.size(), 4u);
  EXPECT_EQ(leaves["conv.weight"].shape, (Shape{2, 1, 3, 3}));
  EXPECT_EQ(leaves["conv.bias"].shape, (Shape{2}));
  EXPECT_EQ(leaves["dense.weight"].shape, (Shape{8, 3}));
  // Each param is initParam of its own init attribute and seed.
  Tensor expected = ref::initParam(
      dlc::dl::GlorotUniformInitAttr::get(&context), {2, 1, 3, 3}, 1234, 1);
  EXPECT_EQ(leaves["conv.weight"].data, expected.data);
  expected = ref::initParam(dlc::dl::NormalInitAttr::get(&context, 0.0, 0.1),
                            {2}, 1234, 2);
  EXPECT_EQ(leaves["conv.bias"].data, expected.data);

  leaves["image"] = rng.tensor({4, 1, 4, 4});
  leaves["label"] = Tensor{{4}, {0, 1, 0, 2}};
  auto r = runOk(f, {}, leaves);
  ASSERT_EQ(r.size(), 2u);
  // A zero last layer gives uniform logits: loss log 3, and the first
  // arg-max (class 0) is right exactly for the rows labelled 0.
  expectTensor(r[0], {}, {std::log(3.0)}, 1e-15);
  expectTensor(r[1], {}, {2});
}

TEST_F(ReferenceTest, SGDThreeSteps) {
  auto f = parse(R"(
    func.func @f(%w: tensor<2xf32>, %g: tensor<2xf32>, %lr: f32, %wd: f32) -> tensor<2xf32> {
      %0 = dl.sgd_update %w, %g, %lr, %wd : tensor<2xf32>
      return %0 : tensor<2xf32>
    })");
  Tensor w{{2}, {1, -2}};
  Tensor g{{2}, {0.5, 0.25}};
  // w' = w - 0.1 (g + 0.01 w), three times, by hand:
  //   1 -> 0.949 -> 0.898051 -> 0.847152949
  //  -2 -> -2.023 -> -2.045977 -> -2.068931023
  const double expected[3][2] = {
      {0.949, -2.023}, {0.898051, -2.045977}, {0.847152949, -2.068931023}};
  for (int step = 0; step < 3; ++step) {
    auto r = runOk(f, {w, g, scalar(0.1), scalar(0.01)});
    ASSERT_EQ(r.size(), 1u);
    expectTensor(r[0], {2}, {expected[step][0], expected[step][1]}, 1e-14);
    w = r[0];
  }
}

TEST_F(ReferenceTest, SGDMomentumThreeSteps) {
  auto f = parse(R"(
    func.func @f(%w: tensor<2xf32>, %v: tensor<2xf32>, %g: tensor<2xf32>, %lr: f32, %wd: f32, %m: f32)
        -> (tensor<2xf32>, tensor<2xf32>) {
      %0, %1 = dl.sgd_momentum_update %w, %v, %g, %lr, %wd, %m : tensor<2xf32>
      return %0, %1 : tensor<2xf32>, tensor<2xf32>
    })");
  Tensor w{{2}, {1, -2}};
  Tensor v{{2}, {0, 0}};
  Tensor g{{2}, {0.5, 0.25}};
  // v' = 0.9 v + (g + 0.01 w); w' = w - 0.1 v', by hand:
  //  v: 0.51, 0.96849, 1.38016251        w: 0.949, 0.852151, 0.714134749
  //  v: 0.23, 0.43677, 0.62242623        w: -2.023, -2.066677, -2.128919623
  const double expectedW[3][2] = {
      {0.949, -2.023}, {0.852151, -2.066677}, {0.714134749, -2.128919623}};
  const double expectedV[3][2] = {
      {0.51, 0.23}, {0.96849, 0.43677}, {1.38016251, 0.62242623}};
  for (int step = 0; step < 3; ++step) {
    auto r = runOk(f, {w, v, g, scalar(0.1), scalar(0.01), scalar(0.9)});
    ASSERT_EQ(r.size(), 2u);
    expectTensor(r[0], {2}, {expectedW[step][0], expectedW[step][1]}, 1e-14);
    expectTensor(r[1], {2}, {expectedV[step][0], expectedV[step][1]}, 1e-14);
    w = r[0];
    v = r[1];
  }
}

struct Moments {
  double mean = 0, std = 0, min = 0, max = 0;
};

Moments moments(const Tensor &t) {
  Moments m;
  m.min = m.max = t.data.at(0);
  for (double v : t.data) {
    m.mean += v;
    m.min = std::min(m.min, v);
    m.max = std::max(m.max, v);
  }
  m.mean /= double(t.data.size());
  for (double v : t.data)
    m.std += (v - m.mean) * (v - m.mean);
  m.std = std::sqrt(m.std / double(t.data.size()));
  return m;
}

TEST_F(ReferenceTest, InitParamStatistics) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  uint64_t seed = rng.engine(), paramSeed = rng.engine();
  // 10k samples: the standard error of the mean is std/100.
  Tensor zeros = ref::initParam(dlc::dl::ZerosInitAttr::get(&context),
                                {100, 100}, seed, paramSeed);
  EXPECT_EQ(zeros.shape, (Shape{100, 100}));
  EXPECT_EQ(zeros.data, std::vector<double>(10000, 0.0));

  Tensor normal =
      ref::initParam(dlc::dl::NormalInitAttr::get(&context, 0.5, 2.0), {10000},
                     seed, paramSeed);
  Moments m = moments(normal);
  EXPECT_NEAR(m.mean, 0.5, 5 * 2.0 / 100);
  EXPECT_NEAR(m.std, 2.0, 0.05 * 2.0);

  Tensor uniform =
      ref::initParam(dlc::dl::UniformInitAttr::get(&context, -3.0, 5.0),
                     {100, 100}, seed, paramSeed);
  m = moments(uniform);
  EXPECT_GE(m.min, -3.0);
  EXPECT_LE(m.max, 5.0);
  EXPECT_LT(m.min, -2.9);
  EXPECT_GT(m.max, 4.9);
  EXPECT_NEAR(m.mean, 1.0, 5 * (8 / std::sqrt(12.0)) / 100);
  EXPECT_NEAR(m.std, 8 / std::sqrt(12.0), 0.05 * 8 / std::sqrt(12.0));

  // Dense [in, out] = [100, 100]: a = sqrt(6 / 200), std a / sqrt(3) = 0.1.
  Tensor glorot = ref::initParam(dlc::dl::GlorotUniformInitAttr::get(&context),
                                 {100, 100}, seed, paramSeed);
  double a = std::sqrt(6.0 / 200);
  m = moments(glorot);
  EXPECT_GE(m.min, -double(float(a)));
  EXPECT_LE(m.max, double(float(a)));
  EXPECT_GT(m.max, 0.99 * a);
  EXPECT_LT(m.min, -0.99 * a);
  EXPECT_NEAR(m.mean, 0.0, 5 * 0.1 / 100);
  EXPECT_NEAR(m.std, 0.1, 0.005);

  // Conv filter [F, C, kh, kw] = [16, 6, 5, 5]: fans (150, 400).
  Tensor conv = ref::initParam(dlc::dl::GlorotUniformInitAttr::get(&context),
                               {16, 6, 5, 5}, seed, paramSeed);
  a = std::sqrt(6.0 / 550);
  m = moments(conv);
  EXPECT_GE(m.min, -double(float(a)));
  EXPECT_LE(m.max, double(float(a)));
  EXPECT_GT(m.max, 0.99 * a);
  EXPECT_LT(m.min, -0.99 * a);

  // Rank 1 [n]: fans (n, n).
  Tensor vec = ref::initParam(dlc::dl::GlorotUniformInitAttr::get(&context),
                              {3000}, seed, paramSeed);
  a = std::sqrt(6.0 / 6000);
  m = moments(vec);
  EXPECT_LE(m.max, double(float(a)));
  EXPECT_GT(m.max, 0.99 * a);

  // Glorot normal on [80, 120]: variance 2 / 200, std 0.1.
  Tensor gn = ref::initParam(dlc::dl::GlorotNormalInitAttr::get(&context),
                             {80, 120}, seed, paramSeed);
  m = moments(gn);
  EXPECT_NEAR(m.mean, 0.0, 5 * 0.1 / std::sqrt(9600.0));
  EXPECT_NEAR(m.std, 0.1, 0.005);
}

TEST_F(ReferenceTest, InitParamIsDeterministicAndSeedSensitive) {
  auto init = dlc::dl::GlorotNormalInitAttr::get(&context);
  Tensor a = ref::initParam(init, {20, 30}, 7, 3);
  Tensor b = ref::initParam(init, {20, 30}, 7, 3);
  EXPECT_EQ(a.data, b.data);
  EXPECT_NE(a.data, ref::initParam(init, {20, 30}, 8, 3).data);
  EXPECT_NE(a.data, ref::initParam(init, {20, 30}, 7, 4).data);
  EXPECT_NE(a.data, ref::initParam(init, {20, 30}, 3, 7).data);
  // Every sample is a float, exactly what the runtime produces.
  std::vector<float> runtime = rt::initParam(
      rt::InitSpec{rt::InitKind::GlorotNormal, 0, 0}, {20, 30}, 7, 3);
  ASSERT_EQ(runtime.size(), a.data.size());
  for (size_t i = 0; i < runtime.size(); ++i)
    EXPECT_EQ(a.data[i], double(runtime[i]));
  // An unknown attribute gives an empty tensor.
  Tensor unknown = ref::initParam(mlir::UnitAttr::get(&context), {2}, 1, 1);
  EXPECT_TRUE(unknown.shape.empty());
  EXPECT_TRUE(unknown.data.empty());
}

// The sampler is a cross-implementation contract (reference and runtime):
// these values pin it. Changing ParamInit.h's algorithm must update them.
TEST(ParamInitGolden, PinnedSamples) {
  std::vector<float> uniform = rt::initParam(
      rt::InitSpec{rt::InitKind::Uniform, -1.0, 1.0}, {2, 3}, 42, 7);
  const float expectedUniform[] = {0x1.68533ep-1f, -0x1.e53b42p-1f,
                                   0x1.8755e2p-1f, 0x1.68973p-1f,
                                   0x1.11a1ep-4f,  -0x1.7cbe3cp-4f};
  ASSERT_EQ(uniform.size(), 6u);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(uniform[i], expectedUniform[i]) << i;
  std::vector<float> normal = rt::initParam(
      rt::InitSpec{rt::InitKind::Normal, 0.0, 1.0}, {2, 3}, 42, 7);
  const float expectedNormal[] = {0x1.ed943p+0f,   0x1.3ceae6p+0f,
                                  -0x1.2eb5ccp+0f, -0x1.de93cep-3f,
                                  0x1.e78b6cp-3f,  0x1.fd06b6p-1f};
  ASSERT_EQ(normal.size(), 6u);
  // log/cos may differ in the last double bit between C libraries; after
  // rounding to float that is at most one float ulp.
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(normal[i], expectedNormal[i],
                std::fabs(expectedNormal[i]) * 1.2e-7)
        << i;
  EXPECT_EQ(rt::mixSeeds(42, 7), 1587005860896957696ULL);
}

//===----------------------------------------------------------------------===//
// Errors are reported, not crashed on
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, MissingLeafIsAnError) {
  auto f = parse(kLeafModel);
  ASSERT_TRUE(f);
  LeafValues leaves = ref::initParams(f, 1);
  leaves["label"] = Tensor{{4}, {0, 1, 2, 0}};
  expectError(f, {}, "leaf 'image' is missing", leaves);
  EXPECT_NE(diagnostics.find("dl.input"), std::string::npos) << diagnostics;
}

TEST_F(ReferenceTest, WrongLeafShapeIsAnError) {
  auto f = parse(kLeafModel);
  ASSERT_TRUE(f);
  LeafValues leaves = ref::initParams(f, 1);
  leaves["image"] = Tensor{{4, 16}, std::vector<double>(64, 0.0)};
  leaves["label"] = Tensor{{4}, {0, 1, 2, 0}};
  expectError(f, {}, "value of leaf 'image': expects shape [4,1,4,4]", leaves);
}

TEST_F(ReferenceTest, LabelLeafOutOfRangeIsAnError) {
  auto f = parse(kLeafModel);
  ASSERT_TRUE(f);
  LeafValues leaves = ref::initParams(f, 1);
  leaves["image"] = Tensor{{4, 1, 4, 4}, std::vector<double>(64, 0.0)};
  leaves["label"] = Tensor{{4}, {0, 1, 3, 0}};
  expectError(f, {}, "outside [0, 3)", leaves);
  leaves["label"] = Tensor{{4}, {0, 1, 0.5, 0}};
  expectError(f, {}, "expects i32 values, got 0.5", leaves);
}

TEST_F(ReferenceTest, WrongArgumentsAreErrors) {
  auto f = parse(R"(
    func.func @f(%x: tensor<2x3xf32>, %lr: f32) -> tensor<2x3xf32> {
      %0 = dl.relu %x : tensor<2x3xf32>
      return %0 : tensor<2x3xf32>
    })");
  Tensor x{{2, 3}, std::vector<double>(6, 1.0)};
  expectError(f, {x}, "takes 2 arguments, got 1");
  expectError(f, {Tensor{{3, 2}, std::vector<double>(6, 1.0)}, scalar(0.1)},
              "argument #0 of @f: expects shape [2,3]");
  expectError(f, {x, Tensor{{1}, {0.1}}},
              "argument #1 of @f: expects shape []");
  expectError(f, {Tensor{{2, 3}, {1, 2}}, scalar(0.1)},
              "needs 6 values, got 2");
  EXPECT_EQ(runOk(f, {x, scalar(0.1)}).size(), 1u);
}

TEST_F(ReferenceTest, BadLabelArgumentsAreErrors) {
  auto f = parse(R"(
    func.func @f(%z: tensor<2x3xf32>, %l: tensor<2xi32>) -> (tensor<f32>, tensor<i32>) {
      %loss, %correct = dl.softmax_ce %z, %l : tensor<2x3xf32>, tensor<2xi32>
      return %loss, %correct : tensor<f32>, tensor<i32>
    })");
  Tensor z{{2, 3}, std::vector<double>(6, 0.0)};
  expectError(f, {z, Tensor{{2}, {0, 3}}},
              "label 3 of row 1 is outside [0, 3)");
  expectError(f, {z, Tensor{{2}, {0, -1}}}, "outside [0, 3)");
  expectError(f, {z, Tensor{{2}, {1.5, 0}}}, "expects i32 values, got 1.5");
}

TEST_F(ReferenceTest, UnsupportedOpIsAnError) {
  auto f = parse(R"(
    func.func private @g(tensor<2xf32>) -> tensor<2xf32>
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %0 = func.call @g(%x) : (tensor<2xf32>) -> tensor<2xf32>
      return %0 : tensor<2xf32>
    })");
  expectError(f, {Tensor{{2}, {1, 2}}},
              "reference executor does not support op 'func.call'");
  auto g =
      f->getParentOfType<mlir::ModuleOp>().lookupSymbol<mlir::func::FuncOp>(
          "g");
  expectError(g, {Tensor{{2}, {1, 2}}}, "has no body");
}

// IR that never went through the verifier must not make the executor read
// out of bounds: every op re-checks the shapes it indexes by.
TEST_F(ReferenceTest, InconsistentUnverifiedIRIsAnError) {
  mlir::ParserConfig config(&context, /*verifyAfterParse=*/false);
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"(
    func.func @dense(%x: tensor<2x3xf32>, %w: tensor<4x2xf32>) -> tensor<2x2xf32> {
      %0 = dl.dense %x, %w : tensor<2x3xf32>, tensor<4x2xf32> -> tensor<2x2xf32>
      return %0 : tensor<2x2xf32>
    }
    func.func @conv(%dy: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
      %0 = dl.conv2d_grad_input %dy, %w stride 2 padding 0 : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32> -> tensor<1x1x3x3xf32>
      return %0 : tensor<1x1x3x3xf32>
    })",
                                                        config);
  ASSERT_TRUE(module);
  auto dense = module->lookupSymbol<mlir::func::FuncOp>("dense");
  auto conv = module->lookupSymbol<mlir::func::FuncOp>("conv");
  expectError(dense,
              {Tensor{{2, 3}, std::vector<double>(6, 1.0)},
               Tensor{{4, 2}, std::vector<double>(8, 1.0)}},
              "'dl.dense' shapes do not fit");
  expectError(conv,
              {Tensor{{1, 1, 3, 3}, std::vector<double>(9, 1.0)},
               Tensor{{1, 1, 3, 3}, std::vector<double>(9, 1.0)}},
              "'dl.conv2d_grad_input' shapes do not fit");
}

//===----------------------------------------------------------------------===//
// The MLP's first layer at full size
//===----------------------------------------------------------------------===//

TEST_F(ReferenceTest, Dense256x784x256) {
  Rng rng;
  SCOPED_TRACE(rng.trace());
  auto f = parse(R"(
    func.func @f(%x: tensor<256x784xf32>, %w: tensor<784x256xf32>, %b: tensor<256xf32>, %dy: tensor<256x256xf32>)
        -> (tensor<256x256xf32>, tensor<256x784xf32>, tensor<784x256xf32>) {
      %0 = dl.dense %x, %w, %b : tensor<256x784xf32>, tensor<784x256xf32>, tensor<256xf32> -> tensor<256x256xf32>
      %1 = dl.dense_grad_input %dy, %w : tensor<256x256xf32>, tensor<784x256xf32>
      %2 = dl.dense_grad_weight %x, %dy : tensor<256x784xf32>, tensor<256x256xf32>
      return %0, %1, %2 : tensor<256x256xf32>, tensor<256x784xf32>, tensor<784x256xf32>
    })");
  std::vector<Tensor> args = {rng.tensor({256, 784}), rng.tensor({784, 256}),
                              rng.tensor({256}), rng.tensor({256, 256})};
  auto r = runOk(f, args);
  ASSERT_EQ(r.size(), 3u);
  const std::vector<double> &x = args[0].data, &w = args[1].data,
                            &dy = args[3].data;
  // Spot-check one element of each: y = xW + b, dx = dy W^T, dW = x^T dy.
  double y = args[2].data[5];
  for (int k = 0; k < 784; ++k)
    y += x[3 * 784 + k] * w[k * 256 + 5];
  EXPECT_NEAR(r[0].data[3 * 256 + 5], y, 1e-10);
  double dx = 0;
  for (int n = 0; n < 256; ++n)
    dx += dy[7 * 256 + n] * w[600 * 256 + n];
  EXPECT_NEAR(r[1].data[7 * 784 + 600], dx, 1e-10);
  double dw = 0;
  for (int m = 0; m < 256; ++m)
    dw += x[m * 784 + 411] * dy[m * 256 + 201];
  EXPECT_NEAR(r[2].data[411 * 256 + 201], dw, 1e-10);
}

} // namespace
