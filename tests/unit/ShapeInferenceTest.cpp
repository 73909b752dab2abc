//===- ShapeInferenceTest.cpp - dl op type inference and verifiers --------===//
//
// Builds dl ops directly on block arguments of a function and checks the
// result types their inferReturnTypes compute, the failures (and messages)
// for inconsistent operands, and the verifiers of the ops whose result type
// is explicit. Random shapes come from a seeded RNG: the seed is printed on
// failure and can be fixed with DLC_TEST_SEED=<n>.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/IR/DLOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace dlc::dl;

namespace {

using Shape = std::vector<int64_t>;

/// The seed for this run: DLC_TEST_SEED if set, else a fresh one.
uint64_t testSeed() {
  if (const char *env = std::getenv("DLC_TEST_SEED"))
    return std::strtoull(env, nullptr, 10);
  return std::random_device{}();
}

int64_t windowSize(int64_t size, int64_t kernel, int64_t stride,
                   int64_t padding) {
  return (size + 2 * padding - kernel) / stride + 1;
}

class ShapeInferenceTest : public ::testing::Test {
protected:
  ShapeInferenceTest()
      : builder(&ctx), loc(FileLineColLoc::get(&ctx, "shapes.mlir", 1, 1)),
        handler(&ctx, [this](Diagnostic &diag) {
          messages.push_back(diag.str());
          return success();
        }) {
    ctx.loadDialect<DLDialect, func::FuncDialect>();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
    func = func::FuncOp::create(builder, loc, "f",
                                builder.getFunctionType({}, {}));
    block = func.addEntryBlock();
    builder.setInsertionPointToStart(block);
    seed = testSeed();
    rng.seed(seed);
  }

  Type f32() { return builder.getF32Type(); }
  Type i32() { return builder.getI32Type(); }
  RankedTensorType f32(const Shape &shape) {
    return RankedTensorType::get(shape, f32());
  }
  RankedTensorType i32(const Shape &shape) {
    return RankedTensorType::get(shape, i32());
  }

  /// A new block argument of the given type (the function's signature is
  /// not kept in sync: ops are verified one by one, never the function).
  Value arg(Type type) { return block->addArgument(type, loc); }
  Value arg(const Shape &shape) { return arg(f32(shape)); }
  Value argI32(const Shape &shape) { return arg(i32(shape)); }

  NamedAttribute i64(StringRef name, int64_t value) {
    return builder.getNamedAttr(name, builder.getI64IntegerAttr(value));
  }

  /// Runs OpTy's static type inference; on failure returns an empty vector
  /// and leaves the diagnostics in `messages`.
  template <typename OpTy>
  FailureOr<SmallVector<Type>> infer(ValueRange operands,
                                     ArrayRef<NamedAttribute> attrs = {}) {
    messages.clear();
    SmallVector<Type> types;
    if (failed(OpTy::inferReturnTypes(&ctx, loc, operands,
                                      DictionaryAttr::get(&ctx, attrs),
                                      OpaqueProperties(nullptr), RegionRange(),
                                      types)))
      return failure();
    EXPECT_TRUE(messages.empty());
    return types;
  }

  /// Inference that must succeed with one result of `shape` (f32); also
  /// builds the op with that type and verifies it.
  template <typename OpTy>
  void expectShape(ValueRange operands, ArrayRef<NamedAttribute> attrs,
                   const Shape &shape) {
    FailureOr<SmallVector<Type>> types = infer<OpTy>(operands, attrs);
    ASSERT_TRUE(succeeded(types)) << joined();
    ASSERT_EQ(types->size(), 1u);
    EXPECT_EQ((*types)[0], Type(f32(shape)))
        << "got " << formatShape((*types)[0]);
    EXPECT_TRUE(succeeded(create(OpTy::getOperationName(), operands, *types,
                                 attrs)))
        << joined();
  }

  /// Inference that must fail with exactly one error equal to `message`.
  template <typename OpTy>
  void expectInferError(ValueRange operands, ArrayRef<NamedAttribute> attrs,
                        const std::string &message) {
    FailureOr<SmallVector<Type>> types = infer<OpTy>(operands, attrs);
    EXPECT_TRUE(failed(types));
    ASSERT_EQ(messages.size(), 1u) << joined();
    EXPECT_EQ(messages[0], message);
  }

  /// Builds an op generically with explicit result types and runs the
  /// verifier; the diagnostics are left in `messages`.
  LogicalResult create(StringRef name, ValueRange operands,
                       TypeRange results,
                       ArrayRef<NamedAttribute> attrs = {}) {
    OperationState state(loc, name);
    state.addOperands(operands);
    state.addTypes(results);
    state.addAttributes(attrs);
    Operation *op = builder.create(state);
    messages.clear();
    return verify(op);
  }

  /// The verifier must fail and its first message must contain `text`.
  void expectVerifyError(StringRef name, ValueRange operands, TypeRange results,
                         ArrayRef<NamedAttribute> attrs,
                         const std::string &text) {
    EXPECT_TRUE(failed(create(name, operands, results, attrs)));
    ASSERT_FALSE(messages.empty());
    EXPECT_NE(messages[0].find(text), std::string::npos)
        << "message: " << messages[0] << "\nexpected to contain: " << text;
  }

  std::string joined() const {
    std::string all;
    for (const std::string &m : messages)
      all += m + "\n";
    return all;
  }

  int64_t dim(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  }
  Shape randomShape(int64_t rank, int64_t lo = 1, int64_t hi = 9) {
    Shape shape;
    for (int64_t i = 0; i < rank; ++i)
      shape.push_back(dim(lo, hi));
    return shape;
  }

  MLIRContext ctx;
  OpBuilder builder;
  Location loc;
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler;
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
  Block *block = nullptr;
  uint64_t seed = 0;
  std::mt19937_64 rng;
};

#define TRACE_SEED() SCOPED_TRACE("DLC_TEST_SEED=" + std::to_string(seed))

//===----------------------------------------------------------------------===//
// Helpers exported by the dialect
//===----------------------------------------------------------------------===//

TEST_F(ShapeInferenceTest, FormatShape) {
  EXPECT_EQ(formatShape(f32({2, 3})), "f32[2,3]");
  EXPECT_EQ(formatShape(i32({7})), "i32[7]");
  EXPECT_EQ(formatShape(f32({})), "f32[]");
  EXPECT_EQ(formatShape(f32()), "f32");
}

TEST_F(ShapeInferenceTest, WindowOutputSize) {
  EXPECT_EQ(windowOutputSize(28, 5, 1, 2), 28);
  EXPECT_EQ(windowOutputSize(28, 2, 2, 0), 14);
  EXPECT_EQ(windowOutputSize(7, 2, 2, 0), 3); // floor
  EXPECT_EQ(windowOutputSize(3, 5, 1, 0), 0); // does not fit
  EXPECT_EQ(windowOutputSize(3, 5, 1, 1), 1);
  EXPECT_EQ(windowOutputSize(9, 3, 0, 0), 0); // bad stride
}

TEST_F(ShapeInferenceTest, NoLocationMeansNoDiagnostic) {
  Value x = arg(Shape{2, 3});
  Value w = arg(Shape{4, 5});
  SmallVector<Type> types;
  messages.clear();
  EXPECT_TRUE(failed(DenseOp::inferReturnTypes(
      &ctx, std::nullopt, ValueRange{x, w}, DictionaryAttr::get(&ctx, {}),
      OpaqueProperties(nullptr), RegionRange(), types)));
  EXPECT_TRUE(messages.empty()) << joined();
}

//===----------------------------------------------------------------------===//
// Leaves
//===----------------------------------------------------------------------===//

TEST_F(ShapeInferenceTest, LeafVerifiers) {
  auto name = builder.getNamedAttr("name", builder.getStringAttr("x"));
  auto classes = i64("classes", 10);
  auto init = builder.getNamedAttr("init", ZerosInitAttr::get(&ctx));

  EXPECT_TRUE(succeeded(create("dl.input", {}, f32({2, 3}), {name})));
  EXPECT_TRUE(succeeded(create("dl.input", {}, f32({2, 1, 4, 4}), {name})));
  expectVerifyError("dl.input", {}, f32({2}), {name},
                    "needs a batch dimension and at least one feature "
                    "dimension, got f32[2]");
  expectVerifyError("dl.input", {}, f32({2, 0}), {name},
                    "result #0 must be ranked f32 tensor of static positive "
                    "sizes, at most 2^31 elements, but got "
                    "'tensor<2x0xf32>'");
  expectVerifyError("dl.input", {}, f32({65536, 32769}), {name},
                    "at most 2^31 elements, but got 'tensor<65536x32769xf32>'");
  EXPECT_TRUE(succeeded(create("dl.input", {}, f32({65536, 32768}), {name})));
  expectVerifyError("dl.input", {}, f32({2, 3}),
                    {builder.getNamedAttr("name", builder.getStringAttr("x\n"))},
                    "needs a name without control bytes");

  EXPECT_TRUE(succeeded(create("dl.label", {}, i32({5}), {name, classes})));
  expectVerifyError("dl.label", {}, i32({5, 1}), {name, classes},
                    "labels are one class index per example, expected "
                    "i32[batch], got i32[5,1]");
  expectVerifyError("dl.label", {}, i32({5}), {name, i64("classes", 0)},
                    "attribute 'classes' failed to satisfy constraint");

  EXPECT_TRUE(succeeded(create("dl.param", {}, f32({3, 4}), {name, init})));
  expectVerifyError("dl.param", {}, f32({}), {name, init},
                    "needs at least one dimension, got f32[]");
  expectVerifyError("dl.param", {}, f32({3, 0}), {name, init},
                    "result #0 must be ranked f32 tensor of static positive "
                    "sizes, at most 2^31 elements, but got "
                    "'tensor<3x0xf32>'");
}

//===----------------------------------------------------------------------===//
// Forward ops
//===----------------------------------------------------------------------===//

TEST_F(ShapeInferenceTest, Dense) {
  TRACE_SEED();
  for (int i = 0; i < 50; ++i) {
    int64_t n = dim(1, 300), k = dim(1, 800), u = dim(1, 300);
    SCOPED_TRACE(std::to_string(n) + "x" + std::to_string(k) + " . " +
                 std::to_string(k) + "x" + std::to_string(u));
    Value x = arg(Shape{n, k});
    Value w = arg(Shape{k, u});
    Value b = arg(Shape{u});
    expectShape<DenseOp>({x, w, b}, {}, {n, u});
    expectShape<DenseOp>({x, w}, {}, {n, u});
    // Through the generated builder too.
    auto op = DenseOp::create(builder, loc, x, w, b);
    EXPECT_EQ(op.getType(), f32({n, u}));

    Value badW = arg(Shape{k + 1, u});
    expectInferError<DenseOp>({x, badW}, {},
                              "dense weight " + formatShape(f32({k + 1, u})) +
                                  " does not fit input " +
                                  formatShape(f32({n, k})) + ": expected [" +
                                  std::to_string(k) + ", units]");
    Value badB = arg(Shape{u + 1});
    expectInferError<DenseOp>({x, w, badB}, {},
                              "dense bias " + formatShape(f32({u + 1})) +
                                  " does not match " + std::to_string(u) +
                                  " units");
  }
}

TEST_F(ShapeInferenceTest, DenseRankAndTypeErrors) {
  expectInferError<DenseOp>({arg(Shape{8, 1, 28, 28}), arg(Shape{28, 10})}, {},
                            "dense expects a rank-2 input, got "
                            "f32[8,1,28,28]; flatten it first");
  expectInferError<DenseOp>({arg(Shape{8, 4}), arg(Shape{4})}, {},
                            "dense expects a rank-2 weight, got f32[4]");
  expectInferError<DenseOp>({arg(Shape{8, 4}), arg(Shape{4, 2}), arg(Shape{2, 1})},
                            {}, "dense expects a rank-1 bias, got f32[2,1]");
  expectInferError<DenseOp>({argI32({8, 4}), arg(Shape{4, 2})}, {},
                            "dense expects an f32 tensor input, got i32[8,4]");
  // A wrong explicit result type fails verification.
  expectVerifyError("dl.dense", {arg(Shape{2, 3}), arg(Shape{3, 5})},
                    f32({2, 6}), {}, "inferred type(s)");
}

TEST_F(ShapeInferenceTest, Elementwise) {
  TRACE_SEED();
  for (int i = 0; i < 20; ++i) {
    Shape shape = randomShape(dim(0, 4));
    Value x = arg(shape);
    expectShape<ReluOp>({x}, {}, shape);
    expectShape<SigmoidOp>({x}, {}, shape);
  }
  expectInferError<ReluOp>({argI32({3})}, {},
                           "relu expects an f32 tensor input, got i32[3]");
  expectInferError<SigmoidOp>({argI32({3, 2})}, {},
                              "sigmoid expects an f32 tensor input, got "
                              "i32[3,2]");
}

TEST_F(ShapeInferenceTest, Flatten) {
  TRACE_SEED();
  for (int64_t rank : {2, 3, 4}) {
    for (int i = 0; i < 10; ++i) {
      Shape shape = randomShape(rank, 1, 12);
      int64_t features = 1;
      for (size_t d = 1; d < shape.size(); ++d)
        features *= shape[d];
      expectShape<FlattenOp>({arg(shape)}, {}, {shape[0], features});
    }
  }
  expectShape<FlattenOp>({arg(Shape{256, 1, 28, 28})}, {}, {256, 784});
  expectShape<FlattenOp>({arg(Shape{256, 16, 5, 5})}, {}, {256, 400});
  expectInferError<FlattenOp>({arg(Shape{5})}, {},
                              "flatten expects a batch dimension and "
                              "features, got f32[5]");
  expectInferError<FlattenOp>({arg(Shape{})}, {},
                              "flatten expects a batch dimension and "
                              "features, got f32[]");
}

TEST_F(ShapeInferenceTest, Conv2DGrid) {
  const int64_t n = 2, c = 3, f = 4;
  int valid = 0, invalid = 0;
  for (int64_t h : {3, 5, 7, 8, 9, 12}) {
    for (int64_t w : {h, h + 3}) {
      Value x = arg(Shape{n, c, h, w});
      for (int64_t k = 1; k <= 5; ++k) {
        Value filter = arg(Shape{f, c, k, k});
        Value bias = arg(Shape{f});
        for (int64_t s = 1; s <= 3; ++s) {
          for (int64_t p = 0; p <= 2; ++p) {
            SCOPED_TRACE("input " + std::to_string(h) + "x" +
                         std::to_string(w) + " kernel " + std::to_string(k) +
                         " stride " + std::to_string(s) + " padding " +
                         std::to_string(p));
            SmallVector<NamedAttribute> attrs = {i64("stride", s),
                                                 i64("padding", p)};
            if (k > h + 2 * p || k > w + 2 * p) {
              ++invalid;
              expectInferError<Conv2DOp>(
                  {x, filter, bias}, attrs,
                  "conv2d kernel " + std::to_string(k) + "x" +
                      std::to_string(k) + " is larger than its padded input " +
                      std::to_string(h + 2 * p) + "x" +
                      std::to_string(w + 2 * p) + " (input " +
                      std::to_string(h) + "x" + std::to_string(w) +
                      ", padding " + std::to_string(p) +
                      "); use a smaller kernel or more padding");
              continue;
            }
            ++valid;
            int64_t oh = windowSize(h, k, s, p), ow = windowSize(w, k, s, p);
            ASSERT_GE(oh, 1);
            expectShape<Conv2DOp>({x, filter, bias}, attrs, {n, f, oh, ow});
            expectShape<Conv2DOp>({x, filter}, attrs, {n, f, oh, ow});

            // The gradient ops accept the forward-consistent types...
            Value dy = arg(Shape{n, f, oh, ow});
            EXPECT_TRUE(succeeded(create("dl.conv2d_grad_input", {dy, filter},
                                         f32({n, c, h, w}), attrs)))
                << joined();
            EXPECT_TRUE(succeeded(create("dl.conv2d_grad_filter", {x, dy},
                                         f32({f, c, k, k}), attrs)))
                << joined();
            // ...including another input size that convolves to the same
            // output (stride > 1)...
            if (windowSize(h + 1, k, s, p) == oh) {
              EXPECT_TRUE(succeeded(create("dl.conv2d_grad_input",
                                           {dy, filter},
                                           f32({n, c, h + 1, w}), attrs)))
                  << joined();
            }
            // ...and reject others.
            Value badDy = arg(Shape{n, f, oh + 1, ow});
            std::string implied = formatShape(f32({n, f, oh, ow}));
            expectVerifyError("dl.conv2d_grad_input", {badDy, filter},
                              f32({n, c, h, w}), attrs,
                              "the result gradient of the convolution implies "
                              "shape " + implied + ", got " +
                                  formatShape(f32({n, f, oh + 1, ow})));
            expectVerifyError("dl.conv2d_grad_filter", {x, badDy},
                              f32({f, c, k, k}), attrs,
                              "the convolution of the input with the filter "
                              "implies shape " + implied);
            expectVerifyError("dl.conv2d_grad_input", {dy, filter},
                              f32({n, c + 1, h, w}), attrs,
                              "do not form a convolution");
          }
        }
      }
    }
  }
  EXPECT_GT(valid, 0);
  EXPECT_GT(invalid, 0);
}

TEST_F(ShapeInferenceTest, Conv2DRectangularKernelAndLeNet) {
  auto attrs = [&](int64_t s, int64_t p) {
    return SmallVector<NamedAttribute>{i64("stride", s), i64("padding", p)};
  };
  expectShape<Conv2DOp>({arg(Shape{1, 2, 9, 9}), arg(Shape{3, 2, 3, 5})},
                        attrs(1, 0), {1, 3, 7, 5});
  expectShape<Conv2DOp>({arg(Shape{1, 2, 9, 9}), arg(Shape{3, 2, 3, 5})},
                        attrs(2, 1), {1, 3, 5, 4});
  expectShape<Conv2DOp>(
      {arg(Shape{256, 1, 28, 28}), arg(Shape{6, 1, 5, 5}), arg(Shape{6})},
      attrs(1, 2), {256, 6, 28, 28});
  expectShape<Conv2DOp>(
      {arg(Shape{256, 6, 14, 14}), arg(Shape{16, 6, 5, 5}), arg(Shape{16})},
      attrs(1, 0), {256, 16, 10, 10});
  // The window fits exactly.
  expectShape<Conv2DOp>({arg(Shape{1, 1, 4, 4}), arg(Shape{1, 1, 6, 6})},
                        attrs(1, 1), {1, 1, 1, 1});
}

TEST_F(ShapeInferenceTest, Conv2DErrors) {
  auto attrs = SmallVector<NamedAttribute>{i64("stride", 1), i64("padding", 0)};
  expectInferError<Conv2DOp>(
      {arg(Shape{2, 3, 8, 8}), arg(Shape{4, 2, 3, 3})}, attrs,
      "conv2d filter f32[4,2,3,3] expects 2 input channels, input "
      "f32[2,3,8,8] has 3");
  expectInferError<Conv2DOp>(
      {arg(Shape{2, 3, 8, 8}), arg(Shape{4, 3, 3, 3}), arg(Shape{5})}, attrs,
      "conv2d bias f32[5] does not match 4 filters");
  expectInferError<Conv2DOp>({arg(Shape{2, 8, 8}), arg(Shape{4, 3, 3, 3})},
                             attrs,
                             "conv2d expects a rank-4 NCHW input, got "
                             "f32[2,8,8]");
  expectInferError<Conv2DOp>({arg(Shape{2, 3, 8, 8}), arg(Shape{4, 3, 3})},
                             attrs,
                             "conv2d expects a rank-4 filter [out, in, kh, "
                             "kw], got f32[4,3,3]");
  expectInferError<Conv2DOp>(
      {arg(Shape{1, 1, 4, 4}), arg(Shape{1, 1, 5, 3})}, attrs,
      "conv2d kernel 5x3 is larger than its padded input 4x4 (input 4x4, "
      "padding 0); use a smaller kernel or more padding");
  // Attribute constraints are checked by the verifier.
  Value x = arg(Shape{1, 1, 5, 5}), w = arg(Shape{1, 1, 3, 3});
  expectVerifyError("dl.conv2d", {x, w}, f32({1, 1, 3, 3}),
                    {i64("stride", 0), i64("padding", 0)},
                    "attribute 'stride' failed to satisfy constraint");
  expectVerifyError("dl.conv2d", {x, w}, f32({1, 1, 3, 3}),
                    {i64("stride", 1), i64("padding", -1)},
                    "attribute 'padding' failed to satisfy constraint");
}

TEST_F(ShapeInferenceTest, PoolGrid) {
  const int64_t n = 2, c = 3;
  int valid = 0, halfPadding = 0, tooLarge = 0;
  for (StringRef op : {"max_pool2d", "avg_pool2d"}) {
    for (int64_t h : {2, 3, 4, 5, 7, 9}) {
      int64_t w = h + 1;
      Value x = arg(Shape{n, c, h, w});
      for (int64_t k = 1; k <= 4; ++k) {
        for (int64_t s = 1; s <= 3; ++s) {
          for (int64_t p = 0; p <= 2; ++p) {
            SCOPED_TRACE(op.str() + " input " + std::to_string(h) + "x" +
                         std::to_string(w) + " kernel " + std::to_string(k) +
                         " stride " + std::to_string(s) + " padding " +
                         std::to_string(p));
            SmallVector<NamedAttribute> attrs = {
                i64("kernel", k), i64("stride", s), i64("padding", p)};
            bool isMax = op == "max_pool2d";
            if (2 * p > k) {
              ++halfPadding;
              std::string message = op.str() + " padding " +
                                    std::to_string(p) +
                                    " is more than half the kernel " +
                                    std::to_string(k) +
                                    "; a window would see only padding";
              if (isMax)
                expectInferError<MaxPool2DOp>({x}, attrs, message);
              else
                expectInferError<AvgPool2DOp>({x}, attrs, message);
              continue;
            }
            if (k > h + 2 * p) {
              ++tooLarge;
              std::string message =
                  op.str() + " kernel " + std::to_string(k) + "x" +
                  std::to_string(k) + " is larger than its padded input " +
                  std::to_string(h + 2 * p) + "x" + std::to_string(w + 2 * p) +
                  " (input " + std::to_string(h) + "x" + std::to_string(w) +
                  ", padding " + std::to_string(p) +
                  "); use a smaller kernel or more padding";
              if (isMax)
                expectInferError<MaxPool2DOp>({x}, attrs, message);
              else
                expectInferError<AvgPool2DOp>({x}, attrs, message);
              continue;
            }
            ++valid;
            int64_t oh = windowSize(h, k, s, p), ow = windowSize(w, k, s, p);
            Shape out = {n, c, oh, ow};
            if (isMax)
              expectShape<MaxPool2DOp>({x}, attrs, out);
            else
              expectShape<AvgPool2DOp>({x}, attrs, out);

            // Gradients: the forward-consistent result gradient verifies...
            Value dy = arg(out);
            if (isMax) {
              expectShape<MaxPool2DGradOp>({dy, x}, attrs, {n, c, h, w});
            } else {
              EXPECT_TRUE(succeeded(create("dl.avg_pool2d_grad", {dy},
                                           f32({n, c, h, w}), attrs)))
                  << joined();
            }
            // ...another does not.
            Value badDy = arg(Shape{n, c, oh, ow + 1});
            std::string text = "pooling the input implies shape " +
                               formatShape(f32(out)) + ", got " +
                               formatShape(f32({n, c, oh, ow + 1}));
            if (isMax)
              expectVerifyError("dl.max_pool2d_grad", {badDy, x},
                                f32({n, c, h, w}), attrs, text);
            else
              expectVerifyError("dl.avg_pool2d_grad", {badDy},
                                f32({n, c, h, w}), attrs, text);
          }
        }
      }
    }
  }
  EXPECT_GT(valid, 0);
  EXPECT_GT(halfPadding, 0);
  EXPECT_GT(tooLarge, 0);
}

TEST_F(ShapeInferenceTest, PoolStrideDiffersFromKernel) {
  auto attrs = [&](int64_t k, int64_t s, int64_t p) {
    return SmallVector<NamedAttribute>{i64("kernel", k), i64("stride", s),
                                       i64("padding", p)};
  };
  Value x = arg(Shape{1, 2, 28, 28});
  expectShape<MaxPool2DOp>({x}, attrs(3, 2, 1), {1, 2, 14, 14});
  expectShape<MaxPool2DOp>({x}, attrs(3, 1, 1), {1, 2, 28, 28});
  expectShape<AvgPool2DOp>({x}, attrs(2, 3, 0), {1, 2, 9, 9});
  expectShape<AvgPool2DOp>({x}, attrs(2, 2, 0), {1, 2, 14, 14});
  expectShape<AvgPool2DOp>({arg(Shape{1, 2, 7, 7})}, attrs(2, 2, 0),
                           {1, 2, 3, 3}); // floor
  expectInferError<MaxPool2DOp>({arg(Shape{8, 784})}, attrs(2, 2, 0),
                                "max_pool2d expects a rank-4 NCHW input, got "
                                "f32[8,784]");
  expectInferError<AvgPool2DOp>({arg(Shape{8, 784})}, attrs(2, 2, 0),
                                "avg_pool2d expects a rank-4 NCHW input, got "
                                "f32[8,784]");
}

TEST_F(ShapeInferenceTest, SoftmaxCE) {
  TRACE_SEED();
  RankedTensorType lossType = f32({});
  RankedTensorType correctType = i32({});
  for (int i = 0; i < 20; ++i) {
    int64_t n = dim(1, 512), k = dim(2, 100);
    Value logits = arg(Shape{n, k});
    Value labels = argI32({n});
    FailureOr<SmallVector<Type>> types = infer<SoftmaxCEOp>({logits, labels});
    ASSERT_TRUE(succeeded(types)) << joined();
    ASSERT_EQ(types->size(), 2u);
    EXPECT_EQ((*types)[0], Type(lossType));
    EXPECT_EQ((*types)[1], Type(correctType));
    EXPECT_TRUE(succeeded(
        create("dl.softmax_ce", {logits, labels}, *types)));

    expectInferError<SoftmaxCEOp>(
        {logits, argI32({n + 1})}, {},
        "softmax_ce batch mismatch: logits " + formatShape(f32({n, k})) +
            " but labels " + formatShape(i32({n + 1})));
  }
  expectInferError<SoftmaxCEOp>({arg(Shape{4, 3}), arg(Shape{4})}, {},
                                "softmax_ce expects labels i32[batch], got "
                                "f32[4]");
  expectInferError<SoftmaxCEOp>({arg(Shape{4, 3}), argI32({4, 1})}, {},
                                "softmax_ce expects labels i32[batch], got "
                                "i32[4,1]");
  expectInferError<SoftmaxCEOp>({arg(Shape{4, 3, 1}), argI32({4})}, {},
                                "softmax_ce expects a rank-2 logits [batch, "
                                "classes], got f32[4,3,1]");
}

TEST_F(ShapeInferenceTest, SoftmaxCEChecksTheLabelClasses) {
  Value logits = arg(Shape{4, 3});
  auto label = LabelOp::create(builder, loc, i32({4}), "y", uint64_t(3));
  EXPECT_TRUE(succeeded(infer<SoftmaxCEOp>({logits, label})));
  auto label10 = LabelOp::create(builder, loc, i32({4}), "y10", uint64_t(10));
  expectInferError<SoftmaxCEOp>(
      {logits, label10}, {},
      "label 'y10' has 10 classes but the logits f32[4,3] have 3; make the "
      "last layer 10 units wide");
  expectInferError<SoftmaxCEEvalOp>(
      {logits, label10, arg(i32())}, {},
      "label 'y10' has 10 classes but the logits f32[4,3] have 3; make the "
      "last layer 10 units wide");
}

//===----------------------------------------------------------------------===//
// Gradient ops
//===----------------------------------------------------------------------===//

TEST_F(ShapeInferenceTest, DenseGradients) {
  TRACE_SEED();
  for (int i = 0; i < 30; ++i) {
    int64_t n = dim(1, 300), k = dim(1, 800), u = dim(1, 300);
    Value x = arg(Shape{n, k}), w = arg(Shape{k, u}), dy = arg(Shape{n, u});
    expectShape<DenseGradInputOp>({dy, w}, {}, {n, k});
    expectShape<DenseGradWeightOp>({x, dy}, {}, {k, u});
    expectShape<BiasGradOp>({dy}, {}, {u});

    Value badDy = arg(Shape{n, u + 1});
    expectInferError<DenseGradInputOp>(
        {badDy, w}, {},
        "dense_grad_input: gradient " + formatShape(f32({n, u + 1})) +
            " does not fit weight " + formatShape(f32({k, u})));
    Value otherBatch = arg(Shape{n + 1, u});
    expectInferError<DenseGradWeightOp>(
        {x, otherBatch}, {},
        "dense_grad_weight: input " + formatShape(f32({n, k})) +
            " and gradient " + formatShape(f32({n + 1, u})) +
            " differ in batch");
  }
  expectInferError<DenseGradInputOp>({arg(Shape{4}), arg(Shape{3, 4})}, {},
                                     "dense_grad_input expects a rank-2 "
                                     "result gradient, got f32[4]");
}

TEST_F(ShapeInferenceTest, BiasGrad) {
  TRACE_SEED();
  for (int i = 0; i < 10; ++i) {
    Shape s2 = randomShape(2), s4 = randomShape(4);
    expectShape<BiasGradOp>({arg(s2)}, {}, {s2[1]});
    expectShape<BiasGradOp>({arg(s4)}, {}, {s4[1]});
  }
  expectInferError<BiasGradOp>({arg(Shape{5})}, {},
                               "bias_grad expects rank >= 2, got f32[5]");
}

TEST_F(ShapeInferenceTest, SameShapePairs) {
  TRACE_SEED();
  for (int i = 0; i < 20; ++i) {
    Shape shape = randomShape(dim(1, 4));
    Value a = arg(shape), b = arg(shape);
    expectShape<ReluGradOp>({a, b}, {}, shape);
    expectShape<SigmoidGradOp>({a, b}, {}, shape);
    expectShape<AddOp>({a, b}, {}, shape);
    Shape other = shape;
    other.back() += 1;
    Value c = arg(other);
    std::string differ = " operands differ in shape: " +
                         formatShape(f32(shape)) + " vs " +
                         formatShape(f32(other));
    expectInferError<ReluGradOp>({a, c}, {}, "relu_grad" + differ);
    expectInferError<SigmoidGradOp>({a, c}, {}, "sigmoid_grad" + differ);
    expectInferError<AddOp>({a, c}, {}, "add" + differ);
  }
}

TEST_F(ShapeInferenceTest, Reshape) {
  TRACE_SEED();
  for (int i = 0; i < 20; ++i) {
    Shape s = randomShape(4);
    int64_t n = s[0], features = s[1] * s[2] * s[3];
    Value flat = arg(Shape{n, features});
    EXPECT_TRUE(succeeded(create("dl.reshape", {flat}, f32(s))));
    expectVerifyError("dl.reshape", {flat}, f32({n, features + 1}), {},
                      "cannot reshape " + formatShape(f32({n, features})) +
                          " to " + formatShape(f32({n, features + 1})) +
                          ": element counts differ");
  }
}

TEST_F(ShapeInferenceTest, PoolGradErrors) {
  SmallVector<NamedAttribute> attrs = {i64("kernel", 5), i64("stride", 1),
                                       i64("padding", 0)};
  expectVerifyError("dl.avg_pool2d_grad", {arg(Shape{2, 3, 1, 1})},
                    f32({2, 9}), attrs, "expects an NCHW input, got f32[2,9]");
  expectVerifyError("dl.max_pool2d_grad",
                    {arg(Shape{2, 3, 1, 1}), arg(Shape{2, 3, 3, 3})},
                    f32({2, 3, 3, 3}), attrs,
                    "kernel 5x5 is larger than its padded input 3x3");
  expectInferError<MaxPool2DGradOp>({arg(Shape{2, 3, 1, 1}), arg(Shape{2, 9})},
                                    attrs,
                                    "max_pool2d_grad expects a rank-4 NCHW "
                                    "input, got f32[2,9]");
}

TEST_F(ShapeInferenceTest, SoftmaxCEGradAndEval) {
  TRACE_SEED();
  for (int i = 0; i < 10; ++i) {
    int64_t n = dim(1, 300), k = dim(2, 50);
    Value logits = arg(Shape{n, k}), labels = argI32({n});
    Value lossGrad = arg(Shape{});
    expectShape<SoftmaxCEGradOp>({logits, labels, lossGrad}, {}, {n, k});

    Value rows = arg(i32());
    FailureOr<SmallVector<Type>> types =
        infer<SoftmaxCEEvalOp>({logits, labels, rows});
    ASSERT_TRUE(succeeded(types)) << joined();
    ASSERT_EQ(types->size(), 2u);
    EXPECT_EQ((*types)[0], Type(f32({})));
    EXPECT_EQ((*types)[1], Type(i32({})));
    EXPECT_TRUE(succeeded(
        create("dl.softmax_ce_eval", {logits, labels, rows}, *types)));

    Value otherLabels = argI32({n + 1});
    expectInferError<SoftmaxCEGradOp>(
        {logits, otherLabels, lossGrad}, {},
        "softmax_ce_grad batch mismatch: logits " + formatShape(f32({n, k})) +
            " but labels " + formatShape(i32({n + 1})));
    expectInferError<SoftmaxCEEvalOp>(
        {logits, otherLabels, rows}, {},
        "softmax_ce_eval batch mismatch: logits " + formatShape(f32({n, k})) +
            " but labels " + formatShape(i32({n + 1})));
  }
}

//===----------------------------------------------------------------------===//
// Optimizer ops
//===----------------------------------------------------------------------===//

TEST_F(ShapeInferenceTest, SGDUpdates) {
  TRACE_SEED();
  Value lr = arg(f32()), wd = arg(f32()), momentum = arg(f32());
  for (int i = 0; i < 20; ++i) {
    Shape shape = randomShape(dim(1, 4));
    Value p = arg(shape), g = arg(shape), v = arg(shape);
    expectShape<SGDUpdateOp>({p, g, lr, wd}, {}, shape);

    FailureOr<SmallVector<Type>> types =
        infer<SGDMomentumUpdateOp>({p, v, g, lr, wd, momentum});
    ASSERT_TRUE(succeeded(types)) << joined();
    ASSERT_EQ(types->size(), 2u);
    EXPECT_EQ((*types)[0], Type(f32(shape)));
    EXPECT_EQ((*types)[1], Type(f32(shape)));
    EXPECT_TRUE(succeeded(create("dl.sgd_momentum_update",
                                 {p, v, g, lr, wd, momentum}, *types)))
        << joined();

    Shape other = shape;
    other.front() += 1;
    Value bad = arg(other);
    expectInferError<SGDUpdateOp>({p, bad, lr, wd}, {},
                                  "sgd_update operands differ in shape: " +
                                      formatShape(f32(shape)) + " vs " +
                                      formatShape(f32(other)));
    expectInferError<SGDMomentumUpdateOp>(
        {p, bad, g, lr, wd, momentum}, {},
        "sgd_momentum_update: velocity " + formatShape(f32(other)) +
            " does not match parameter " + formatShape(f32(shape)));
    expectInferError<SGDMomentumUpdateOp>(
        {p, v, bad, lr, wd, momentum}, {},
        "sgd_momentum_update operands differ in shape: " +
            formatShape(f32(shape)) + " vs " + formatShape(f32(other)));
  }
}

TEST_F(ShapeInferenceTest, AttributeVerifiers) {
  auto emit = [&]() { return emitError(loc); };
  messages.clear();
  EXPECT_TRUE(succeeded(SGDAttr::verify(emit, llvm::APFloat(0.1),
                                        llvm::APFloat(0.0),
                                        llvm::APFloat(0.9))));
  EXPECT_TRUE(failed(SGDAttr::verify(emit, llvm::APFloat(0.1),
                                     llvm::APFloat(0.0), llvm::APFloat(1.0))));
  EXPECT_TRUE(failed(SGDAttr::verify(emit, llvm::APFloat(0.0),
                                     llvm::APFloat(0.0), llvm::APFloat(0.0))));
  EXPECT_TRUE(failed(SGDAttr::verify(emit, llvm::APFloat(0.1),
                                     llvm::APFloat(-1.0), llvm::APFloat(0.0))));
  EXPECT_TRUE(failed(SGDAttr::verify(emit, llvm::APFloat(0.1),
                                     llvm::APFloat(0.0), llvm::APFloat(-0.1))));
  EXPECT_TRUE(succeeded(NormalInitAttr::verify(emit, llvm::APFloat(0.0),
                                               llvm::APFloat(0.0))));
  EXPECT_TRUE(failed(NormalInitAttr::verify(emit, llvm::APFloat(0.0),
                                            llvm::APFloat(-1.0))));
  EXPECT_TRUE(succeeded(UniformInitAttr::verify(emit, llvm::APFloat(-1.0),
                                                llvm::APFloat(-1.0))));
  EXPECT_TRUE(failed(UniformInitAttr::verify(emit, llvm::APFloat(1.0),
                                             llvm::APFloat(0.0))));
  EXPECT_EQ(messages.size(), 6u) << joined();
}

} // namespace
