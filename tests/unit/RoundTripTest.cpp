//===- RoundTripTest.cpp - print/parse fixed points of the models ---------===//
//
// For every model in models/: the front-end's module printed, parsed back
// and printed again is unchanged, in the custom form, in the generic op form
// and with debug locations; and the generic form parses to the same module.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/FrontEnd/ModelParser.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#ifndef DLC_MODELS_DIR
#error "DLC_MODELS_DIR must point at the models/ directory"
#endif

using namespace mlir;

namespace {

class RoundTripTest : public ::testing::TestWithParam<std::string> {
protected:
  RoundTripTest()
      : handler(&ctx, [this](Diagnostic &diag) {
          errors += diag.str() + "\n";
          return success();
        }) {
    ctx.loadDialect<dlc::dl::DLDialect, func::FuncDialect>();
  }

  std::string path() const {
    return std::string(DLC_MODELS_DIR) + "/" + GetParam() + ".dl";
  }

  OwningOpRef<ModuleOp> parseModel(int64_t batch = 0) {
    auto buffer = llvm::MemoryBuffer::getFile(path());
    if (!buffer) {
      ADD_FAILURE() << "cannot read " << path();
      return nullptr;
    }
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    dlc::FrontEndOptions options;
    options.batchOverride = batch;
    return dlc::parseModelFile(sourceMgr, &ctx, options);
  }

  OwningOpRef<ModuleOp> parseIR(const std::string &text) {
    return parseSourceString<ModuleOp>(text, ParserConfig(&ctx));
  }

  static std::string print(ModuleOp module,
                           OpPrintingFlags flags = OpPrintingFlags()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os, flags);
    return text;
  }

  static OpPrintingFlags generic() {
    return OpPrintingFlags().printGenericOpForm();
  }

  MLIRContext ctx;
  std::string errors;
  ScopedDiagnosticHandler handler;
};

TEST_P(RoundTripTest, CustomForm) {
  OwningOpRef<ModuleOp> model = parseModel();
  ASSERT_TRUE(model) << errors;
  ASSERT_TRUE(succeeded(verify(*model))) << errors;
  std::string first = print(*model);
  EXPECT_NE(first.find("dl.softmax_ce"), std::string::npos);

  OwningOpRef<ModuleOp> reparsed = parseIR(first);
  ASSERT_TRUE(reparsed) << errors;
  EXPECT_EQ(print(*reparsed), first);
  EXPECT_TRUE(errors.empty()) << errors;
}

TEST_P(RoundTripTest, GenericForm) {
  OwningOpRef<ModuleOp> model = parseModel();
  ASSERT_TRUE(model) << errors;
  std::string custom = print(*model);
  std::string first = print(*model, generic());
  EXPECT_NE(first.find("\"dl.softmax_ce\""), std::string::npos);

  OwningOpRef<ModuleOp> reparsed = parseIR(first);
  ASSERT_TRUE(reparsed) << errors;
  EXPECT_EQ(print(*reparsed, generic()), first);
  // The generic form describes the same module as the custom one.
  EXPECT_EQ(print(*reparsed), custom);

  // And the custom form parses to the same generic form.
  OwningOpRef<ModuleOp> fromCustom = parseIR(custom);
  ASSERT_TRUE(fromCustom) << errors;
  EXPECT_EQ(print(*fromCustom, generic()), first);
}

TEST_P(RoundTripTest, DebugLocations) {
  OwningOpRef<ModuleOp> model = parseModel();
  ASSERT_TRUE(model) << errors;
  OpPrintingFlags flags;
  flags.enableDebugInfo();
  std::string first = print(*model, flags);
  EXPECT_NE(first.find(GetParam() + ".dl\":"), std::string::npos);

  OwningOpRef<ModuleOp> reparsed = parseIR(first);
  ASSERT_TRUE(reparsed) << errors;
  EXPECT_EQ(print(*reparsed, flags), first);
  // Every op kept its file location.
  reparsed->walk([&](Operation *op) {
    EXPECT_TRUE(isa<FileLineColLoc>(op->getLoc()))
        << op->getName().getStringRef().str();
  });
}

TEST_P(RoundTripTest, BatchOverride) {
  OwningOpRef<ModuleOp> model = parseModel(/*batch=*/17);
  ASSERT_TRUE(model) << errors;
  std::string first = print(*model);
  EXPECT_NE(first.find("tensor<17x"), std::string::npos);
  EXPECT_NE(first.find("tensor<17xi32>"), std::string::npos);
  OwningOpRef<ModuleOp> reparsed = parseIR(first);
  ASSERT_TRUE(reparsed) << errors;
  EXPECT_EQ(print(*reparsed), first);
}

TEST_P(RoundTripTest, Deterministic) {
  OwningOpRef<ModuleOp> a = parseModel();
  OwningOpRef<ModuleOp> b = parseModel();
  ASSERT_TRUE(a && b) << errors;
  EXPECT_EQ(print(*a), print(*b));
}

/// Every models/*.dl, by stem: a model added there is covered without
/// touching this test.
std::vector<std::string> modelNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(DLC_MODELS_DIR, ec), end;
       it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".dl")
      names.push_back(llvm::sys::path::stem(it->path()).str());
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Models, RoundTripTest,
                         ::testing::ValuesIn(modelNames()),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                           std::string name = info.param;
                           for (char &c : name)
                             if (!llvm::isAlnum(c))
                               c = '_';
                           return name;
                         });

// The four models of the course are always there.
TEST(RoundTripModels, CourseModelsArePresent) {
  std::vector<std::string> names = modelNames();
  for (const char *model : {"mlp", "softmax_regression", "lenet", "lenet_relu"})
    EXPECT_NE(std::find(names.begin(), names.end(), model), names.end())
        << model << ".dl is missing from " << DLC_MODELS_DIR;
}

} // namespace
