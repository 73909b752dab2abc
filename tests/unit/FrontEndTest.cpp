//===- FrontEndTest.cpp - the .dl model parser ----------------------------===//
//
// Parses model text from strings and checks the dl ops, types and attributes
// it builds, the defaults of the language, and the diagnostics (message and
// file:line:col) of malformed models.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/FrontEnd/ModelParser.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace mlir;
using namespace dlc::dl;

namespace {

/// One reported diagnostic (notes flattened into `notes`).
struct Diag {
  DiagnosticSeverity severity;
  std::string message;
  std::string file;
  unsigned line = 0, column = 0;
  std::vector<Diag> notes;
};

Diag toDiag(Diagnostic &diag) {
  Diag d;
  d.severity = diag.getSeverity();
  d.message = diag.str();
  if (auto loc = dyn_cast<FileLineColLoc>(diag.getLocation())) {
    d.file = loc.getFilename().str();
    d.line = loc.getLine();
    d.column = loc.getColumn();
  }
  for (Diagnostic &note : diag.getNotes())
    d.notes.push_back(toDiag(note));
  return d;
}

class FrontEndTest : public ::testing::Test {
protected:
  /// Parses `text` as the file "test.dl"; diagnostics land in `diags`.
  OwningOpRef<ModuleOp> parse(const std::string &text,
                              dlc::FrontEndOptions options = {}) {
    diags.clear();
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(text, "test.dl",
                                         /*RequiresNullTerminator=*/false),
        llvm::SMLoc());
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      diags.push_back(toDiag(diag));
      return success();
    });
    return dlc::parseModelFile(sourceMgr, &ctx, options);
  }

  /// Parses text that must be valid, failing the test with the diagnostics
  /// otherwise.
  OwningOpRef<ModuleOp> parseOk(const std::string &text,
                                dlc::FrontEndOptions options = {}) {
    OwningOpRef<ModuleOp> module = parse(text, options);
    std::string messages;
    for (const Diag &d : diags)
      messages += std::to_string(d.line) + ":" + std::to_string(d.column) +
                  ": " + d.message + "\n";
    EXPECT_TRUE(module) << messages;
    EXPECT_TRUE(diags.empty()) << messages;
    if (module) {
      EXPECT_TRUE(succeeded(verify(*module)));
    }
    return module;
  }

  /// Parses text that must fail with exactly one error at line:column.
  void expectError(const std::string &text, unsigned line, unsigned column,
                   const std::string &message) {
    SCOPED_TRACE(text);
    OwningOpRef<ModuleOp> module = parse(text);
    EXPECT_FALSE(module);
    ASSERT_EQ(diags.size(), 1u);
    EXPECT_EQ(diags[0].severity, DiagnosticSeverity::Error);
    EXPECT_EQ(diags[0].message, message);
    EXPECT_EQ(diags[0].file, "test.dl");
    EXPECT_EQ(diags[0].line, line);
    EXPECT_EQ(diags[0].column, column);
  }

  static func::FuncOp modelFunc(ModuleOp module) {
    return module.lookupSymbol<func::FuncOp>(kModelFuncName);
  }

  /// The ops of the model function, in order.
  static std::vector<Operation *> opsOf(ModuleOp module) {
    std::vector<Operation *> ops;
    for (Operation &op : modelFunc(module).getBody().front())
      ops.push_back(&op);
    return ops;
  }

  template <typename OpTy>
  static std::vector<OpTy> all(ModuleOp module) {
    std::vector<OpTy> ops;
    modelFunc(module).walk([&](OpTy op) { ops.push_back(op); });
    return ops;
  }

  static ParamOp param(ModuleOp module, StringRef name) {
    for (ParamOp p : all<ParamOp>(module))
      if (p.getName() == name)
        return p;
    return {};
  }

  static std::vector<int64_t> shape(Value v) {
    auto t = cast<RankedTensorType>(v.getType());
    return std::vector<int64_t>(t.getShape().begin(), t.getShape().end());
  }

  static std::string print(ModuleOp module) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os);
    return text;
  }

  MLIRContext ctx;
  std::vector<Diag> diags;
};

using Shape = std::vector<int64_t>;

const char *kHeader = "model m\n"
                      "input image: f32[8, 1, 28, 28]\n"
                      "label label: i32[8] classes 10\n";

//===----------------------------------------------------------------------===//
// Structure of the parsed module
//===----------------------------------------------------------------------===//

TEST_F(FrontEndTest, SoftmaxRegressionStructure) {
  auto module = parseOk(std::string(kHeader) +
                        "x = flatten(image)\n"
                        "logits = dense(x, 10)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  EXPECT_EQ(module->getSymName(), "m");

  func::FuncOp func = modelFunc(*module);
  ASSERT_TRUE(func);
  FunctionType type = func.getFunctionType();
  EXPECT_EQ(type.getNumInputs(), 0u);
  ASSERT_EQ(type.getNumResults(), 2u);
  EXPECT_EQ(type.getResult(0), RankedTensorType::get({}, Float32Type::get(&ctx)));
  EXPECT_EQ(type.getResult(1),
            RankedTensorType::get({}, IntegerType::get(&ctx, 32)));

  std::vector<Operation *> ops = opsOf(*module);
  ASSERT_EQ(ops.size(), 8u);
  auto input = dyn_cast<InputOp>(ops[0]);
  auto label = dyn_cast<LabelOp>(ops[1]);
  auto flatten = dyn_cast<FlattenOp>(ops[2]);
  auto weight = dyn_cast<ParamOp>(ops[3]);
  auto bias = dyn_cast<ParamOp>(ops[4]);
  auto dense = dyn_cast<DenseOp>(ops[5]);
  auto ce = dyn_cast<SoftmaxCEOp>(ops[6]);
  auto ret = dyn_cast<func::ReturnOp>(ops[7]);
  ASSERT_TRUE(input && label && flatten && weight && bias && dense && ce && ret);

  EXPECT_EQ(input.getName(), "image");
  EXPECT_EQ(shape(input), (Shape{8, 1, 28, 28}));
  EXPECT_TRUE(input.getType().getElementType().isF32());
  EXPECT_EQ(label.getName(), "label");
  EXPECT_EQ(label.getClasses(), 10u);
  EXPECT_EQ(shape(label), (Shape{8}));
  EXPECT_TRUE(label.getType().getElementType().isSignlessInteger(32));

  EXPECT_EQ(flatten.getInput(), input.getResult());
  EXPECT_EQ(shape(flatten), (Shape{8, 784}));

  EXPECT_EQ(weight.getName(), "dense1.weight");
  EXPECT_EQ(shape(weight), (Shape{784, 10}));
  EXPECT_EQ(bias.getName(), "dense1.bias");
  EXPECT_EQ(shape(bias), (Shape{10}));

  EXPECT_EQ(dense.getInput(), flatten.getResult());
  EXPECT_EQ(dense.getWeight(), weight.getResult());
  EXPECT_EQ(dense.getBias(), bias.getResult());
  EXPECT_EQ(shape(dense), (Shape{8, 10}));

  EXPECT_EQ(ce.getLogits(), dense.getResult());
  EXPECT_EQ(ce.getLabels(), label.getResult());
  ASSERT_EQ(ret.getNumOperands(), 2u);
  EXPECT_EQ(ret.getOperand(0), ce.getLoss());
  EXPECT_EQ(ret.getOperand(1), ce.getCorrect());
}

TEST_F(FrontEndTest, LocationsPointAtTheSource) {
  auto module = parseOk(std::string(kHeader) +
                        "x = flatten(image)\n"
                        "logits = dense(x, 10)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  auto lineCol = [](Operation *op) {
    auto loc = cast<FileLineColLoc>(op->getLoc());
    EXPECT_EQ(loc.getFilename().str(), "test.dl");
    return std::make_pair(loc.getLine(), loc.getColumn());
  };
  std::vector<Operation *> ops = opsOf(*module);
  EXPECT_EQ(lineCol(ops[0]), std::make_pair(2u, 1u)); // input keyword
  EXPECT_EQ(lineCol(ops[1]), std::make_pair(3u, 1u)); // label keyword
  EXPECT_EQ(lineCol(ops[2]), std::make_pair(4u, 5u)); // flatten(
  EXPECT_EQ(lineCol(ops[3]), std::make_pair(5u, 10u)); // dense( param
  EXPECT_EQ(lineCol(ops[5]), std::make_pair(5u, 10u)); // dense(
  EXPECT_EQ(lineCol(ops[6]), std::make_pair(6u, 8u)); // softmax_ce(
  EXPECT_EQ(lineCol(ops[7]), std::make_pair(6u, 8u)); // return
  EXPECT_EQ(lineCol(module->getOperation()), std::make_pair(1u, 1u));
}

TEST_F(FrontEndTest, LeNetShapesAndNames) {
  auto module = parseOk(std::string(kHeader) +
                        "c1 = sigmoid(conv2d(image, 6, kernel=5, padding=2))\n"
                        "p1 = avg_pool2d(c1, kernel=2, stride=2)\n"
                        "c2 = relu(conv2d(p1, 16, kernel=5))\n"
                        "p2 = max_pool2d(c2, kernel=2)\n"
                        "f = flatten(p2)\n"
                        "h = dense(f, 120)\n"
                        "logits = dense(h, 10)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  auto convs = all<Conv2DOp>(*module);
  ASSERT_EQ(convs.size(), 2u);
  EXPECT_EQ(shape(convs[0]), (Shape{8, 6, 28, 28}));
  EXPECT_EQ(convs[0].getStride(), 1u);
  EXPECT_EQ(convs[0].getPadding(), 2u);
  EXPECT_EQ(shape(convs[1]), (Shape{8, 16, 10, 10}));
  EXPECT_EQ(convs[1].getPadding(), 0u);
  EXPECT_EQ(shape(param(*module, "conv2d1.weight")), (Shape{6, 1, 5, 5}));
  EXPECT_EQ(shape(param(*module, "conv2d2.weight")), (Shape{16, 6, 5, 5}));
  EXPECT_EQ(shape(param(*module, "conv2d2.bias")), (Shape{16}));
  EXPECT_EQ(shape(param(*module, "dense1.weight")), (Shape{400, 120}));
  EXPECT_EQ(shape(param(*module, "dense2.weight")), (Shape{120, 10}));

  auto avg = all<AvgPool2DOp>(*module);
  auto max = all<MaxPool2DOp>(*module);
  ASSERT_EQ(avg.size(), 1u);
  ASSERT_EQ(max.size(), 1u);
  EXPECT_EQ(shape(avg[0]), (Shape{8, 6, 14, 14}));
  EXPECT_EQ(shape(max[0]), (Shape{8, 16, 5, 5}));
  EXPECT_EQ(all<SigmoidOp>(*module).size(), 1u);
  EXPECT_EQ(all<ReluOp>(*module).size(), 1u);
  EXPECT_EQ(shape(all<FlattenOp>(*module)[0]), (Shape{8, 400}));
}

TEST_F(FrontEndTest, SeedsCountUpPerParameter) {
  auto module = parseOk(std::string(kHeader) +
                        "c = conv2d(image, 2, 3)\n"
                        "f = flatten(c)\n"
                        "h = dense(f, 5, bias=false)\n"
                        "logits = dense(h, 10)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  std::vector<std::string> names;
  std::vector<int64_t> seeds;
  for (ParamOp p : all<ParamOp>(*module)) {
    names.push_back(p.getName().str());
    seeds.push_back(static_cast<int64_t>(p.getSeed()));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"conv2d1.weight", "conv2d1.bias",
                                             "dense1.weight", "dense2.weight",
                                             "dense2.bias"}));
  EXPECT_EQ(seeds, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

//===----------------------------------------------------------------------===//
// Defaults
//===----------------------------------------------------------------------===//

TEST_F(FrontEndTest, DefaultInitializers) {
  auto module = parseOk(std::string(kHeader) +
                        "c = conv2d(image, 4, 3)\n"
                        "f = flatten(c)\n"
                        "logits = dense(f, 10)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  for (StringRef name : {"conv2d1.weight", "dense1.weight"}) {
    ParamOp p = param(*module, name);
    ASSERT_TRUE(p) << name.str();
    EXPECT_TRUE(isa<GlorotUniformInitAttr>(p.getInit())) << name.str();
  }
  for (StringRef name : {"conv2d1.bias", "dense1.bias"}) {
    ParamOp p = param(*module, name);
    ASSERT_TRUE(p) << name.str();
    EXPECT_TRUE(isa<ZerosInitAttr>(p.getInit())) << name.str();
  }
  Conv2DOp conv = all<Conv2DOp>(*module)[0];
  EXPECT_EQ(conv.getStride(), 1u);
  EXPECT_EQ(conv.getPadding(), 0u);
  EXPECT_EQ(shape(conv), (Shape{8, 4, 26, 26}));
}

TEST_F(FrontEndTest, ExplicitInitializers) {
  auto module = parseOk(
      std::string(kHeader) +
      "x = flatten(image)\n"
      "a = dense(x, 5, init=normal(0.5, 1e-2), bias_init=uniform(-0.1, .25))\n"
      "b = dense(a, 5, init=uniform(-1, 1), bias_init=normal(-2, 0))\n"
      "c = dense(b, 5, init=glorot_normal(), bias_init=glorot_uniform())\n"
      "d = dense(c, 5, init=xavier_uniform(), bias_init=xavier_normal())\n"
      "logits = dense(d, 10, init=zeros())\n"
      "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  auto normal = dyn_cast<NormalInitAttr>(param(*module, "dense1.weight").getInit());
  ASSERT_TRUE(normal);
  EXPECT_EQ(normal.getMean().convertToDouble(), 0.5);
  EXPECT_EQ(normal.getStd().convertToDouble(), 1e-2);
  auto uniform = dyn_cast<UniformInitAttr>(param(*module, "dense1.bias").getInit());
  ASSERT_TRUE(uniform);
  EXPECT_EQ(uniform.getLow().convertToDouble(), -0.1);
  EXPECT_EQ(uniform.getHigh().convertToDouble(), 0.25);
  auto uniform2 = dyn_cast<UniformInitAttr>(param(*module, "dense2.weight").getInit());
  ASSERT_TRUE(uniform2);
  EXPECT_EQ(uniform2.getLow().convertToDouble(), -1.0);
  EXPECT_EQ(uniform2.getHigh().convertToDouble(), 1.0);
  auto normal2 = dyn_cast<NormalInitAttr>(param(*module, "dense2.bias").getInit());
  ASSERT_TRUE(normal2);
  EXPECT_EQ(normal2.getMean().convertToDouble(), -2.0);
  EXPECT_EQ(normal2.getStd().convertToDouble(), 0.0);
  EXPECT_TRUE(isa<GlorotNormalInitAttr>(param(*module, "dense3.weight").getInit()));
  EXPECT_TRUE(isa<GlorotUniformInitAttr>(param(*module, "dense3.bias").getInit()));
  // The xavier_* spellings are aliases.
  EXPECT_TRUE(isa<GlorotUniformInitAttr>(param(*module, "dense4.weight").getInit()));
  EXPECT_TRUE(isa<GlorotNormalInitAttr>(param(*module, "dense4.bias").getInit()));
  EXPECT_TRUE(isa<ZerosInitAttr>(param(*module, "dense5.weight").getInit()));
  EXPECT_TRUE(isa<ZerosInitAttr>(param(*module, "dense5.bias").getInit()));
}

TEST_F(FrontEndTest, PoolStrideDefaultsToKernel) {
  auto module = parseOk(std::string(kHeader) +
                        "a = max_pool2d(image, 3)\n"
                        "b = avg_pool2d(a, kernel=2)\n"
                        "c = max_pool2d(b, 2, stride=1, padding=1)\n"
                        "f = flatten(c)\n"
                        "logits = dense(f, 10)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  auto max = all<MaxPool2DOp>(*module);
  auto avg = all<AvgPool2DOp>(*module);
  ASSERT_EQ(max.size(), 2u);
  ASSERT_EQ(avg.size(), 1u);
  EXPECT_EQ(max[0].getKernel(), 3u);
  EXPECT_EQ(max[0].getStride(), 3u);
  EXPECT_EQ(max[0].getPadding(), 0u);
  EXPECT_EQ(shape(max[0]), (Shape{8, 1, 9, 9}));
  EXPECT_EQ(avg[0].getKernel(), 2u);
  EXPECT_EQ(avg[0].getStride(), 2u);
  EXPECT_EQ(shape(avg[0]), (Shape{8, 1, 4, 4}));
  EXPECT_EQ(max[1].getStride(), 1u);
  EXPECT_EQ(max[1].getPadding(), 1u);
  EXPECT_EQ(shape(max[1]), (Shape{8, 1, 5, 5}));
}

TEST_F(FrontEndTest, BiasFalseDropsTheBias) {
  auto module = parseOk(std::string(kHeader) +
                        "c = conv2d(image, 4, 3, bias=false)\n"
                        "f = flatten(c)\n"
                        "h = dense(f, 16, bias=false)\n"
                        "logits = dense(h, 10, bias=true)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  EXPECT_FALSE(param(*module, "conv2d1.bias"));
  EXPECT_FALSE(param(*module, "dense1.bias"));
  EXPECT_TRUE(param(*module, "dense2.bias"));
  EXPECT_FALSE(all<Conv2DOp>(*module)[0].getBias());
  auto denses = all<DenseOp>(*module);
  ASSERT_EQ(denses.size(), 2u);
  EXPECT_FALSE(denses[0].getBias());
  EXPECT_EQ(denses[0]->getNumOperands(), 2u);
  EXPECT_TRUE(denses[1].getBias());
  EXPECT_EQ(all<ParamOp>(*module).size(), 4u);
}

TEST_F(FrontEndTest, TrainLineDefaults) {
  const std::string body = std::string(kHeader) +
                           "x = flatten(image)\n"
                           "logits = dense(x, 10)\n"
                           "loss = softmax_ce(logits, label)\n";
  auto check = [&](const std::string &train, double lr, double wd,
                   double momentum, int64_t epochs) {
    SCOPED_TRACE(train);
    auto module = parseOk(body + train);
    ASSERT_TRUE(module);
    auto sgd = dyn_cast_or_null<SGDAttr>(
        (*module)->getAttr(kOptimizerAttrName));
    ASSERT_TRUE(sgd);
    EXPECT_EQ(sgd.getLr().convertToDouble(), lr);
    EXPECT_EQ(sgd.getWeightDecay().convertToDouble(), wd);
    EXPECT_EQ(sgd.getMomentum().convertToDouble(), momentum);
    auto ep = dyn_cast_or_null<IntegerAttr>(
        (*module)->getAttr(kEpochsAttrName));
    ASSERT_TRUE(ep);
    EXPECT_EQ(ep.getInt(), epochs);
  };
  check("", 0.1, 0.0, 0.0, 10);                      // no train line
  check("train sgd()\n", 0.1, 0.0, 0.0, 10);          // all defaults
  check("train sgd(lr=0.5)\n", 0.5, 0.0, 0.0, 10);    // epochs default
  check("train sgd(lr=1) epochs 3\n", 1.0, 0.0, 0.0, 3); // integer lr
  check("train sgd(momentum=0.9, weight_decay=5e-4, lr=0.01) epochs 7\n",
        0.01, 5e-4, 0.9, 7);
  check("train sgd(lr=0.2,)\n", 0.2, 0.0, 0.0, 10); // trailing comma
}

TEST_F(FrontEndTest, TrainLineMayComeFirst) {
  auto module = parseOk("model m\n"
                        "train sgd(lr=0.3) epochs 2\n"
                        "input image: f32[4, 6]\n"
                        "label label: i32[4] classes 3\n"
                        "logits = dense(image, 3)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  auto sgd = cast<SGDAttr>((*module)->getAttr(kOptimizerAttrName));
  EXPECT_EQ(sgd.getLr().convertToDouble(), 0.3);
}

//===----------------------------------------------------------------------===//
// Arguments, comments, layout
//===----------------------------------------------------------------------===//

TEST_F(FrontEndTest, KeywordAndPositionalArgumentsAgree) {
  const std::string tail = "f = flatten(c)\n"
                           "logits = dense(f, 10)\n"
                           "loss = softmax_ce(logits, label)\n";
  const char *convs[] = {
      "c = conv2d(image, 6, 5, stride=2, padding=1)\n",
      "c = conv2d(input=image, filters=6, kernel=5, stride=2, padding=1)\n",
      "c = conv2d(image, kernel=5, filters=6, padding=1, stride=2)\n",
      "c = conv2d(padding=1, stride=2, kernel=5, filters=6, input=image)\n",
      "c = conv2d(image, 6, kernel=5, stride=2, padding=1, bias=true, "
      "init=glorot_uniform(), bias_init=zeros())\n",
  };
  std::string reference;
  for (const char *conv : convs) {
    SCOPED_TRACE(conv);
    auto module = parseOk(std::string(kHeader) + conv + tail);
    ASSERT_TRUE(module);
    Conv2DOp op = all<Conv2DOp>(*module)[0];
    EXPECT_EQ(op.getStride(), 2u);
    EXPECT_EQ(op.getPadding(), 1u);
    EXPECT_EQ(shape(op), (Shape{8, 6, 13, 13}));
    std::string text = print(*module);
    if (reference.empty())
      reference = text;
    EXPECT_EQ(text, reference);
  }
}

TEST_F(FrontEndTest, CommentsBlankLinesAndWhitespace) {
  auto module = parseOk("# leading comment\n"
                        "\n"
                        "   \t\n"
                        "model   commented   # the name\n"
                        "# between\n"
                        "input image : f32[ 4 , 10 ]   # trailing\n"
                        "\n\n"
                        "label label:i32[4]classes 3\r\n"
                        "\t h = relu( dense( image , 7 ) )#no space\n"
                        "logits=dense(h,3)\n"
                        "loss = softmax_ce(logits, label)\n"
                        "# last line without a newline");
  ASSERT_TRUE(module);
  EXPECT_EQ(module->getSymName(), "commented");
  EXPECT_EQ(shape(all<DenseOp>(*module)[1]), (Shape{4, 3}));
  // Locations count lines with comments and blank lines.
  auto loc = cast<FileLineColLoc>(all<ReluOp>(*module)[0]->getLoc());
  EXPECT_EQ(loc.getLine(), 10u);
  EXPECT_EQ(loc.getColumn(), 7u);
}

TEST_F(FrontEndTest, NestedCallsAndSharedValues) {
  auto module = parseOk("model m\n"
                        "input image: f32[4, 1, 6, 6]\n"
                        "label label: i32[4] classes 3\n"
                        "f = flatten(image)\n"
                        "a = sigmoid(relu(dense(f, 8)))\n"
                        "b = dense(f, 8)\n" // f used twice
                        "logits = dense(a, 3)\n"
                        "loss = softmax_ce(logits, label)\n");
  ASSERT_TRUE(module);
  FlattenOp flatten = all<FlattenOp>(*module)[0];
  EXPECT_EQ(std::distance(flatten->use_begin(), flatten->use_end()), 2);
  auto sig = all<SigmoidOp>(*module)[0];
  EXPECT_TRUE(isa<ReluOp>(sig.getInput().getDefiningOp()));
  EXPECT_EQ(shape(sig), (Shape{4, 8}));
}

TEST_F(FrontEndTest, OtherNamesForInputAndLabel) {
  auto module = parseOk("model renamed\n"
                        "label y: i32[3] classes 2\n"
                        "input pixels: f32[3, 5]\n"
                        "logits = dense(pixels, 2)\n"
                        "cost = softmax_ce(logits, y)\n");
  ASSERT_TRUE(module);
  std::vector<Operation *> ops = opsOf(*module);
  EXPECT_EQ(cast<LabelOp>(ops[0]).getName(), "y");
  EXPECT_EQ(cast<InputOp>(ops[1]).getName(), "pixels");
}

TEST_F(FrontEndTest, BatchOverride) {
  const std::string text = "model m\n"
                           "input image: f32[256, 1, 28, 28]\n"
                           "label label: i32[256] classes 10\n"
                           "c = conv2d(image, 2, 5)\n"
                           "f = flatten(c)\n"
                           "h = dense(f, 256)\n"
                           "logits = dense(h, 10)\n"
                           "loss = softmax_ce(logits, label)\n";
  for (int64_t batch : {1, 3, 64, 1000}) {
    SCOPED_TRACE(batch);
    dlc::FrontEndOptions options;
    options.batchOverride = batch;
    auto module = parseOk(text, options);
    ASSERT_TRUE(module);
    EXPECT_EQ(shape(all<InputOp>(*module)[0]), (Shape{batch, 1, 28, 28}));
    EXPECT_EQ(shape(all<LabelOp>(*module)[0]), (Shape{batch}));
    EXPECT_EQ(shape(all<Conv2DOp>(*module)[0]), (Shape{batch, 2, 24, 24}));
    EXPECT_EQ(shape(all<FlattenOp>(*module)[0]), (Shape{batch, 1152}));
    auto denses = all<DenseOp>(*module);
    EXPECT_EQ(shape(denses[0]), (Shape{batch, 256}));
    EXPECT_EQ(shape(denses[1]), (Shape{batch, 10}));
    // Parameters do not depend on the batch.
    EXPECT_EQ(shape(param(*module, "dense1.weight")), (Shape{1152, 256}));
    EXPECT_EQ(shape(param(*module, "dense1.bias")), (Shape{256}));
  }
  // Zero keeps the file's batch.
  auto module = parseOk(text, dlc::FrontEndOptions{});
  ASSERT_TRUE(module);
  EXPECT_EQ(shape(all<InputOp>(*module)[0]), (Shape{256, 1, 28, 28}));
}

TEST_F(FrontEndTest, BatchOverrideReconcilesMismatchedBatches) {
  // The override replaces both batches, so a file whose batches disagree
  // parses when overridden.
  const std::string text = "model m\n"
                           "input image: f32[4, 6]\n"
                           "label label: i32[5] classes 3\n"
                           "logits = dense(image, 3)\n"
                           "loss = softmax_ce(logits, label)\n";
  EXPECT_FALSE(parse(text));
  dlc::FrontEndOptions options;
  options.batchOverride = 2;
  auto module = parseOk(text, options);
  ASSERT_TRUE(module);
  EXPECT_EQ(shape(all<LabelOp>(*module)[0]), (Shape{2}));
}

//===----------------------------------------------------------------------===//
// Errors: message and location
//===----------------------------------------------------------------------===//

TEST_F(FrontEndTest, SyntaxErrors) {
  const std::string h = kHeader; // lines 1-3
  expectError(h + "h = foo(image)\n", 4, 5,
              "unknown op 'foo'; expected one of dense, conv2d, max_pool2d, "
              "avg_pool2d, relu, sigmoid, flatten, softmax_ce");
  expectError(h + "f = flatten(image)\nl = dense(f, 10, act=1)\n", 5, 18,
              "dense has no keyword 'act'; expected one of input, units, "
              "bias, init, bias_init");
  expectError(h + "c = conv2d(image, 6)\n", 4, 5,
              "conv2d is missing 'kernel'; it needs (input, filters, kernel)");
  expectError(h + "f = flatten(imag)\n", 4, 13,
              "unknown name 'imag'; bind it with 'NAME = ...' before this "
              "line");
  expectError(h + "f = flatten(image)\nl = dense(f, 12ab)\n", 5, 14,
              "bad number or character '12ab'");
  expectError(h + "f = flatten(image)\nl = dense(f, 2.0)\n", 5, 14,
              "dense expects an integer for 'units', got a number");
  expectError(h + "flatten(image)\n", 4, 1,
              "a statement must bind its result: write 'NAME = "
              "flatten(...)'");
  expectError(h + "f = flatten(image) ?\n", 4, 20,
              "unexpected '?' after the statement; one statement per line");
  expectError(h + "? = 1\n", 4, 1, "unexpected character '?'");
  expectError(h + "f = flatten(image)\nl = dense(f, 10, init=normal(1))\n", 5,
              23, "normal takes (mean, std), got 1 argument");
  expectError(h + "f = flatten(image)\nl = dense(f, 10, init=f)\n", 5, 18,
              "dense expects an initializer for 'init', got a tensor");
  // Whole-file omissions are reported at the model line.
  expectError(h + "f = flatten(image,)\nx = f\n", 1, 1,
              "missing loss: bind softmax_ce(logits, labels) to a name, e.g. "
              "'loss = softmax_ce(logits, label)'");
}

TEST_F(FrontEndTest, StructureErrors) {
  expectError("", 1, 1,
              "missing 'model NAME' line; a model file starts with its name, "
              "e.g. 'model mlp'");
  expectError("# only a comment\n", 1, 1,
              "missing 'model NAME' line; a model file starts with its name, "
              "e.g. 'model mlp'");
  expectError("\ninput image: f32[8, 4]\n", 2, 1,
              "the file must start with 'model NAME'");
  expectError("model m\nlabel label: i32[8] classes 10\n", 1, 1,
              "missing 'input' line, e.g. 'input image: f32[256, 1, 28, 28]'");
  expectError("model m\ninput image: f32[8, 4]", 1, 1,
              "missing 'label' line, e.g. 'label label: i32[256] classes 10'");
  expectError("model m\ninput image: f32[8, 4]\ntrain adam()\n", 3, 7,
              "unknown optimizer 'adam'; dlc supports sgd");
  expectError("model m\ntrain sgd(momentum=1)\n", 2, 20,
              "momentum must be in [0, 1), got 1");
  expectError("model m\ntrain sgd(lr=-0.5)\n", 2, 14,
              "lr must be positive, got -0.5");
}

TEST_F(FrontEndTest, ShapeErrorsComeFromTypeInference) {
  const std::string h = kHeader;
  expectError(h + "l = dense(image, 10)\n", 4, 5,
              "dense expects a rank-2 input, got f32[8,1,28,28]; flatten it "
              "first");
  expectError(h + "f = flatten(image)\nl = dense(f, 3)\n"
                  "loss = softmax_ce(l, label)\n",
              6, 8,
              "label 'label' has 10 classes but the logits f32[8,3] have 3; "
              "make the last layer 10 units wide");
  expectError(h + "c = conv2d(image, 2, kernel=29)\n", 4, 5,
              "conv2d kernel 29x29 is larger than its padded input 28x28 "
              "(input 28x28, padding 0); use a smaller kernel or more "
              "padding");
  expectError(h + "p = avg_pool2d(image, 3, padding=2)\n", 4, 5,
              "avg_pool2d padding 2 is more than half the kernel 3; a window "
              "would see only padding");
  expectError(h + "f = flatten(image)\np = max_pool2d(f, 2)\n", 5, 5,
              "max_pool2d expects a rank-4 NCHW input, got f32[8,784]");
  expectError(h + "c = conv2d(image, 0, 3)\n", 4, 19,
              "conv2d filters must be positive, got 0");
  expectError(h + "p = max_pool2d(image, 2, padding=-1)\n", 4, 34,
              "max_pool2d padding must be >= 0, got -1");
}

TEST_F(FrontEndTest, RebindingReportsBothBindings) {
  OwningOpRef<ModuleOp> module = parse(std::string(kHeader) +
                                       "f = flatten(image)\n"
                                       "g = relu(f)\n"
                                       "  f = relu(g)\n");
  EXPECT_FALSE(module);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].message,
            "'f' is already bound; a name is bound once, choose a new one");
  EXPECT_EQ(diags[0].line, 6u);
  EXPECT_EQ(diags[0].column, 3u);
  ASSERT_EQ(diags[0].notes.size(), 1u);
  EXPECT_EQ(diags[0].notes[0].severity, DiagnosticSeverity::Note);
  EXPECT_EQ(diags[0].notes[0].message, "'f' was first bound here");
  EXPECT_EQ(diags[0].notes[0].line, 4u);
  EXPECT_EQ(diags[0].notes[0].column, 1u);
}

TEST_F(FrontEndTest, BatchMismatchNotesTheInput) {
  OwningOpRef<ModuleOp> module = parse("model m\n"
                                       "input image: f32[8, 4]\n"
                                       "label label: i32[9] classes 10\n");
  EXPECT_FALSE(module);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].message, "label batch 9 does not match input batch 8; "
                              "the first dimensions must agree");
  EXPECT_EQ(diags[0].line, 3u);
  EXPECT_EQ(diags[0].column, 1u);
  ASSERT_EQ(diags[0].notes.size(), 1u);
  EXPECT_EQ(diags[0].notes[0].message, "the input is declared here");
  EXPECT_EQ(diags[0].notes[0].line, 2u);
}

TEST_F(FrontEndTest, StopsAtTheFirstError) {
  OwningOpRef<ModuleOp> module = parse(std::string(kHeader) +
                                       "a = foo(image)\n"
                                       "b = bar(image)\n");
  EXPECT_FALSE(module);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].line, 4u);
}

TEST_F(FrontEndTest, ContextIsReusableAfterAnError) {
  EXPECT_FALSE(parse("model m\nx = foo()\n"));
  auto module = parseOk("model m\ninput i: f32[2, 3]\nlabel l: i32[2] "
                        "classes 2\no = dense(i, 2)\nloss = softmax_ce(o, l)\n");
  EXPECT_TRUE(module);
}

} // namespace
