//===- ModelParser.cpp - .dl model files to the dl dialect ----------------===//
//
// A recursive-descent parser that builds dl ops as it reads. Shape checks are
// not repeated here: each op's own type inference reports them at the call's
// location, so the model language and the IR can never disagree.
//
//===----------------------------------------------------------------------===//

#include "dlc/FrontEnd/ModelParser.h"

#include "dlc/Dialect/DL/IR/DLOps.h"
#include "dlc/FrontEnd/Lexer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>

using namespace mlir;
using namespace dlc;
using namespace dlc::dl;

namespace {

/// Bounds on sizes a model may use; far above any model that fits in
/// memory, low enough that no shape arithmetic can overflow.
constexpr int64_t kMaxElements = dl::kMaxTensorElements;
constexpr int64_t kMaxSize = int64_t(1) << 20;

/// An evaluated call argument.
struct ArgValue {
  enum Kind { Tensor, Integer, Float, Bool, Init } kind = Tensor;
  Value tensor;
  int64_t integer = 0;
  double number = 0;
  bool boolean = false;
  Attribute init;
  Token token; // First token of the argument, for diagnostics.

  StringRef kindName() const {
    switch (kind) {
    case Tensor:
      return "a tensor";
    case Integer:
      return "an integer";
    case Float:
      return "a number";
    case Bool:
      return "true/false";
    case Init:
      return "an initializer";
    }
    return "";
  }
};

/// Declared parameters of a model-language op.
struct Param {
  StringRef name;
  ArgValue::Kind kind;
  bool required;
};

struct Signature {
  StringRef op;
  std::vector<Param> params;
};

const std::vector<Signature> &signatures() {
  using K = ArgValue::Kind;
  static const std::vector<Signature> table = {
      {"dense",
       {{"input", K::Tensor, true},
        {"units", K::Integer, true},
        {"bias", K::Bool, false},
        {"init", K::Init, false},
        {"bias_init", K::Init, false}}},
      {"conv2d",
       {{"input", K::Tensor, true},
        {"filters", K::Integer, true},
        {"kernel", K::Integer, true},
        {"stride", K::Integer, false},
        {"padding", K::Integer, false},
        {"bias", K::Bool, false},
        {"init", K::Init, false},
        {"bias_init", K::Init, false}}},
      {"max_pool2d",
       {{"input", K::Tensor, true},
        {"kernel", K::Integer, true},
        {"stride", K::Integer, false},
        {"padding", K::Integer, false}}},
      {"avg_pool2d",
       {{"input", K::Tensor, true},
        {"kernel", K::Integer, true},
        {"stride", K::Integer, false},
        {"padding", K::Integer, false}}},
      {"relu", {{"input", K::Tensor, true}}},
      {"sigmoid", {{"input", K::Tensor, true}}},
      {"flatten", {{"input", K::Tensor, true}}},
      {"softmax_ce",
       {{"logits", K::Tensor, true}, {"labels", K::Tensor, true}}},
  };
  return table;
}

const Signature *findSignature(StringRef op) {
  for (const Signature &sig : signatures())
    if (sig.op == op)
      return &sig;
  return nullptr;
}

bool isInitName(StringRef name) {
  return llvm::is_contained({"zeros", "normal", "uniform", "glorot_uniform",
                             "glorot_normal", "xavier_uniform",
                             "xavier_normal"},
                            name);
}

class ModelParser {
public:
  ModelParser(llvm::SourceMgr &sourceMgr, MLIRContext *ctx,
              const FrontEndOptions &options)
      : ctx(ctx), options(options), builder(ctx),
        lexer(sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                  ->getBuffer()) {
    fileName = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                   ->getBufferIdentifier();
    consume();
  }

  OwningOpRef<ModuleOp> parse();

private:
  // Token stream.
  void consume() { tok = lexer.next(); }
  Location loc(const Token &t) {
    return FileLineColLoc::get(ctx, fileName, t.line, t.column);
  }
  InFlightDiagnostic error(const Token &t, const Twine &message) {
    return emitError(loc(t), message);
  }
  LogicalResult expect(TokenKind kind, StringRef what) {
    if (tok.is(kind)) {
      consume();
      return success();
    }
    return error(tok, "expected ") << what << ", got " << describe(tok);
  }
  std::string describe(const Token &t) {
    switch (t.kind) {
    case TokenKind::Newline:
      return "end of line";
    case TokenKind::EndOfFile:
      return "end of file";
    default:
      return ("'" + t.spelling + "'").str();
    }
  }
  LogicalResult expectEndOfStatement() {
    if (tok.is(TokenKind::Newline) || tok.is(TokenKind::EndOfFile))
      return success();
    return error(tok, "unexpected ")
           << describe(tok) << " after the statement; one statement per line";
  }

  // Statements.
  LogicalResult parseStatement();
  LogicalResult parseModelLine();
  LogicalResult parseDataLine(bool isLabel);
  LogicalResult parseTrainLine();
  LogicalResult parseBinding();
  FailureOr<RankedTensorType> parseTensorType(bool isLabel);
  LogicalResult bindName(const Token &name, Value value);

  // Expressions.
  FailureOr<ArgValue> parseValue();
  FailureOr<Value> parseTensorExpr();
  FailureOr<ArgValue> parseCall(const Token &callee);
  FailureOr<Attribute> parseInit(const Token &callee);
  FailureOr<int64_t> parseInteger(StringRef what);
  FailureOr<double> parseNumber(StringRef what);
  FailureOr<Value> buildOp(const Token &callee, const Signature &sig,
                           ArrayRef<std::optional<ArgValue>> args);

  /// Creates an op after running its shape inference, which reports errors
  /// at `location` instead of aborting like the inferring builders do.
  template <typename OpTy>
  FailureOr<Operation *> createChecked(Location location, ValueRange operands,
                                       ArrayRef<NamedAttribute> attrs = {}) {
    OperationState state(location, OpTy::getOperationName());
    state.addOperands(operands);
    state.addAttributes(attrs);
    SmallVector<Type> types;
    if (failed(OpTy::inferReturnTypes(
            ctx, location, state.operands,
            state.attributes.getDictionary(ctx), state.getRawProperties(),
            RegionRange(), types)))
      return failure();
    state.addTypes(types);
    return builder.create(state);
  }
  Value createParam(const Token &at, StringRef layer, StringRef role,
                    ArrayRef<int64_t> shape, Attribute init);

  MLIRContext *ctx;
  FrontEndOptions options;
  OpBuilder builder;
  Lexer lexer;
  Token tok;
  std::string fileName;

  ModuleOp module;
  func::FuncOp func;
  bool sawModel = false;
  std::optional<Token> modelToken;
  unsigned depth = 0; // Nesting of calls, bounded so input cannot overflow
                      // the stack.
  std::optional<Token> inputToken, labelToken, lossToken, trainToken;
  Value lossValue, correctValue;
  struct Binding {
    Value value;
    Token token;
  };
  llvm::StringMap<Binding> names;
  llvm::StringMap<unsigned> layerCounts;
  int64_t nextSeed = 1;
};

} // namespace

OwningOpRef<ModuleOp> ModelParser::parse() {
  Location fileLoc = FileLineColLoc::get(ctx, fileName, 1, 1);
  OwningOpRef<ModuleOp> owned = ModuleOp::create(fileLoc);
  module = *owned;
  builder.setInsertionPointToEnd(module.getBody());
  func = func::FuncOp::create(builder, fileLoc, kModelFuncName,
                              builder.getFunctionType({}, {}));
  builder.setInsertionPointToStart(func.addEntryBlock());

  while (!tok.is(TokenKind::EndOfFile)) {
    if (tok.is(TokenKind::Newline)) {
      consume();
      continue;
    }
    if (failed(parseStatement()))
      return nullptr;
  }

  // Whole-file omissions are reported at the model line.
  Token end = modelToken ? *modelToken : tok;
  if (!sawModel) {
    emitError(fileLoc, "missing 'model NAME' line; a model file starts with "
                       "its name, e.g. 'model mlp'");
    return nullptr;
  }
  if (!inputToken) {
    error(end, "missing 'input' line, e.g. 'input image: f32[256, 1, 28, 28]'");
    return nullptr;
  }
  if (!labelToken) {
    error(end, "missing 'label' line, e.g. 'label label: i32[256] classes 10'");
    return nullptr;
  }
  if (!lossValue) {
    error(end, "missing loss: bind softmax_ce(logits, labels) to a name, e.g. "
               "'loss = softmax_ce(logits, label)'");
    return nullptr;
  }
  if (!trainToken) {
    module->setAttr(kOptimizerAttrName, SGDAttr::get(ctx, 0.1, 0.0, 0.0));
    module->setAttr(kEpochsAttrName, builder.getI64IntegerAttr(10));
  }

  func::ReturnOp::create(builder, loc(*lossToken),
                         ValueRange{lossValue, correctValue});
  func.setFunctionType(builder.getFunctionType(
      {}, {lossValue.getType(), correctValue.getType()}));
  if (failed(verify(module)))
    return nullptr;
  return owned;
}

LogicalResult ModelParser::parseStatement() {
  if (!tok.is(TokenKind::Identifier)) {
    if (tok.is(TokenKind::Error))
      return error(tok, "unexpected character '") << tok.spelling << "'";
    return error(tok, "expected a statement (model, input, label, train or "
                      "NAME = ...), got ")
           << describe(tok);
  }
  if (tok.isIdentifier("model"))
    return parseModelLine();
  if (!sawModel)
    return error(tok, "the file must start with 'model NAME'");
  if (tok.isIdentifier("input"))
    return parseDataLine(/*isLabel=*/false);
  if (tok.isIdentifier("label"))
    return parseDataLine(/*isLabel=*/true);
  if (tok.isIdentifier("train"))
    return parseTrainLine();
  return parseBinding();
}

LogicalResult ModelParser::parseModelLine() {
  Token keyword = tok;
  consume();
  if (sawModel)
    return error(keyword, "a file holds one model; 'model' appears twice");
  if (!tok.is(TokenKind::Identifier))
    return error(tok, "expected the model's name after 'model', got ")
           << describe(tok);
  module.setSymName(tok.spelling);
  sawModel = true;
  modelToken = keyword;
  consume();
  return expectEndOfStatement();
}

FailureOr<RankedTensorType> ModelParser::parseTensorType(bool isLabel) {
  Token typeTok = tok;
  StringRef expected = isLabel ? "i32" : "f32";
  if (!tok.is(TokenKind::Identifier) ||
      (tok.spelling != "f32" && tok.spelling != "i32"))
    return error(tok, "expected a tensor type such as ")
           << expected << "[256, ...], got " << describe(tok);
  if (tok.spelling != expected)
    return error(tok, isLabel ? "labels are class indices: use i32, got "
                              : "inputs are pixels: use f32, got ")
           << tok.spelling;
  consume();
  if (failed(expect(TokenKind::LSquare, "'['")))
    return failure();
  SmallVector<int64_t> shape;
  int64_t elements = 1;
  do {
    if (!shape.empty())
      consume(); // ','
    Token dimTok = tok;
    FailureOr<int64_t> dim = parseInteger("a dimension size");
    if (failed(dim))
      return failure();
    if (*dim <= 0)
      return error(dimTok, "dimension sizes must be positive, got ") << *dim;
    // Checked before multiplying: the product itself may overflow.
    if (*dim > kMaxElements / elements)
      return error(dimTok, "tensor too large: more than 2^31 elements");
    elements *= *dim;
    shape.push_back(*dim);
  } while (tok.is(TokenKind::Comma));
  if (failed(expect(TokenKind::RSquare, "',' or ']'")))
    return failure();
  if (options.batchOverride > 0) {
    int64_t perExample = elements / shape[0];
    if (options.batchOverride > kMaxElements / perExample)
      return error(typeTok, "tensor too large with --batch=")
             << options.batchOverride << ": more than 2^31 elements";
    shape[0] = options.batchOverride;
  }
  if (isLabel && shape.size() != 1)
    return error(typeTok, "labels are one class per example: expected "
                          "i32[batch], got a rank-")
           << shape.size() << " type";
  if (!isLabel && shape.size() < 2)
    return error(typeTok, "an input needs a batch dimension and features, "
                          "e.g. f32[256, 1, 28, 28]");
  Type element = isLabel ? Type(builder.getI32Type()) : builder.getF32Type();
  return RankedTensorType::get(shape, element);
}

LogicalResult ModelParser::parseDataLine(bool isLabel) {
  Token keyword = tok;
  std::optional<Token> &seen = isLabel ? labelToken : inputToken;
  consume();
  if (seen) {
    auto diag = error(keyword, "a model has one '")
                << keyword.spelling << "' line";
    diag.attachNote(loc(*seen)) << "the first one is here";
    return failure();
  }
  if (!tok.is(TokenKind::Identifier))
    return error(tok, "expected a name after '")
           << keyword.spelling << "', got " << describe(tok);
  Token name = tok;
  consume();
  if (failed(expect(TokenKind::Colon, "':' before the type")))
    return failure();
  FailureOr<RankedTensorType> type = parseTensorType(isLabel);
  if (failed(type))
    return failure();

  Value value;
  if (isLabel) {
    if (!tok.isIdentifier("classes"))
      return error(tok, "expected 'classes N' after the label type, e.g. "
                        "'label label: i32[256] classes 10'");
    consume();
    Token classesTok = tok;
    FailureOr<int64_t> classes = parseInteger("the class count");
    if (failed(classes))
      return failure();
    if (*classes < 2)
      return error(classesTok, "a classifier needs at least 2 classes, got ")
             << *classes;
    if (inputToken) {
      int64_t batch =
          cast<RankedTensorType>(names[inputToken->spelling].value.getType())
              .getDimSize(0);
      if (batch != type->getDimSize(0)) {
        auto diag = error(keyword, "label batch ")
                    << type->getDimSize(0) << " does not match input batch "
                    << batch << "; the first dimensions must agree";
        diag.attachNote(loc(*inputToken)) << "the input is declared here";
        return failure();
      }
    }
    value = LabelOp::create(builder, loc(keyword), *type, name.spelling,
                            static_cast<uint64_t>(*classes));
  } else {
    if (labelToken) {
      int64_t batch =
          cast<RankedTensorType>(names[labelToken->spelling].value.getType())
              .getDimSize(0);
      if (batch != type->getDimSize(0)) {
        auto diag = error(keyword, "input batch ")
                    << type->getDimSize(0) << " does not match label batch "
                    << batch << "; the first dimensions must agree";
        diag.attachNote(loc(*labelToken)) << "the label is declared here";
        return failure();
      }
    }
    value = InputOp::create(builder, loc(keyword), *type, name.spelling);
  }
  if (failed(bindName(name, value)))
    return failure();
  seen = name;
  return expectEndOfStatement();
}

LogicalResult ModelParser::parseTrainLine() {
  Token keyword = tok;
  consume();
  if (trainToken)
    return error(keyword, "a model has one 'train' line");
  trainToken = keyword;
  if (!tok.is(TokenKind::Identifier))
    return error(tok, "expected an optimizer after 'train', e.g. "
                      "'train sgd(lr=0.1)'");
  if (tok.spelling != "sgd")
    return error(tok, "unknown optimizer '")
           << tok.spelling << "'; dlc supports sgd";
  consume();
  double lr = 0.1, weightDecay = 0.0, momentum = 0.0;
  int64_t epochs = 10;
  if (failed(expect(TokenKind::LParen, "'(' after sgd")))
    return failure();
  while (!tok.is(TokenKind::RParen)) {
    if (!tok.is(TokenKind::Identifier))
      return error(tok, "expected a keyword (lr, weight_decay, momentum), "
                        "got ")
             << describe(tok);
    Token key = tok;
    consume();
    if (failed(expect(TokenKind::Equal, "'=' after the keyword")))
      return failure();
    Token valueTok = tok;
    FailureOr<double> value = parseNumber(key.spelling);
    if (failed(value))
      return failure();
    if (key.spelling == "lr") {
      if (!(*value > 0))
        return error(valueTok, "lr must be positive, got ") << valueTok.spelling;
      lr = *value;
    } else if (key.spelling == "weight_decay") {
      if (*value < 0)
        return error(valueTok, "weight_decay must be >= 0, got ")
               << valueTok.spelling;
      weightDecay = *value;
    } else if (key.spelling == "momentum") {
      if (*value < 0 || *value >= 1)
        return error(valueTok, "momentum must be in [0, 1), got ")
               << valueTok.spelling;
      momentum = *value;
    } else {
      return error(key, "sgd has no keyword '")
             << key.spelling << "'; expected lr, weight_decay or momentum";
    }
    if (tok.is(TokenKind::Comma))
      consume();
    else if (!tok.is(TokenKind::RParen))
      return error(tok, "expected ',' or ')', got ") << describe(tok);
  }
  consume(); // ')'
  if (tok.isIdentifier("epochs")) {
    consume();
    Token epochsTok = tok;
    FailureOr<int64_t> value = parseInteger("the epoch count");
    if (failed(value))
      return failure();
    if (*value <= 0)
      return error(epochsTok, "epochs must be positive, got ") << *value;
    epochs = *value;
  }
  module->setAttr(kOptimizerAttrName,
                  SGDAttr::get(ctx, lr, weightDecay, momentum));
  module->setAttr(kEpochsAttrName, builder.getI64IntegerAttr(epochs));
  return expectEndOfStatement();
}

LogicalResult ModelParser::bindName(const Token &name, Value value) {
  auto [it, inserted] = names.try_emplace(name.spelling, Binding{value, name});
  if (inserted)
    return success();
  auto diag = error(name, "'") << name.spelling
                               << "' is already bound; a name is bound once, "
                                  "choose a new one";
  diag.attachNote(loc(it->second.token)) << "'" << name.spelling
                                         << "' was first bound here";
  return failure();
}

LogicalResult ModelParser::parseBinding() {
  Token name = tok;
  consume();
  if (!tok.is(TokenKind::Equal)) {
    if (tok.is(TokenKind::LParen) || tok.is(TokenKind::Newline) ||
        tok.is(TokenKind::EndOfFile))
      return error(name, "a statement must bind its result: write "
                         "'NAME = ")
             << name.spelling << "(...)'";
    return error(tok, "expected '=' after '")
           << name.spelling << "', got " << describe(tok);
  }
  consume();
  if (names.count(name.spelling))
    return bindName(name, Value());
  FailureOr<Value> value = parseTensorExpr();
  if (failed(value))
    return failure();
  if (failed(bindName(name, *value)))
    return failure();
  return expectEndOfStatement();
}

FailureOr<int64_t> ModelParser::parseInteger(StringRef what) {
  Token t = tok;
  int64_t value;
  if (!t.is(TokenKind::Integer) || t.spelling.getAsInteger(10, value))
    return error(t, "expected an integer for ")
           << what << ", got " << describe(t);
  consume();
  return value;
}

FailureOr<double> ModelParser::parseNumber(StringRef what) {
  Token t = tok;
  double value;
  if ((!t.is(TokenKind::Integer) && !t.is(TokenKind::Float)) ||
      t.spelling.getAsDouble(value) || !std::isfinite(value))
    return error(t, "expected a number for ")
           << what << ", got " << describe(t);
  consume();
  return value;
}

FailureOr<Value> ModelParser::parseTensorExpr() {
  Token start = tok;
  FailureOr<ArgValue> value = parseValue();
  if (failed(value))
    return failure();
  if (value->kind != ArgValue::Tensor)
    return error(start, "expected a tensor expression, got ")
           << value->kindName();
  return value->tensor;
}

FailureOr<ArgValue> ModelParser::parseValue() {
  ArgValue result;
  result.token = tok;
  switch (tok.kind) {
  case TokenKind::Integer: {
    if (tok.spelling.getAsInteger(10, result.integer))
      return error(tok, "integer '") << tok.spelling << "' is out of range";
    result.kind = ArgValue::Integer;
    result.number = static_cast<double>(result.integer);
    consume();
    return result;
  }
  case TokenKind::Float:
    if (tok.spelling.getAsDouble(result.number) ||
        !std::isfinite(result.number))
      return error(tok, "bad number '") << tok.spelling << "'";
    result.kind = ArgValue::Float;
    consume();
    return result;
  case TokenKind::Error:
    return error(tok, "bad number or character '") << tok.spelling << "'";
  case TokenKind::Identifier:
    break;
  default:
    return error(tok, "expected a value, got ") << describe(tok);
  }

  Token name = tok;
  consume();
  if (tok.is(TokenKind::LParen))
    return parseCall(name);
  if (name.spelling == "true" || name.spelling == "false") {
    result.kind = ArgValue::Bool;
    result.boolean = name.spelling == "true";
    return result;
  }
  auto it = names.find(name.spelling);
  if (it == names.end()) {
    if (findSignature(name.spelling) || isInitName(name.spelling))
      return error(name, "'") << name.spelling
                              << "' is an op: call it with arguments, e.g. "
                              << name.spelling << "(x)";
    return error(name, "unknown name '")
           << name.spelling << "'; bind it with 'NAME = ...' before this line";
  }
  result.kind = ArgValue::Tensor;
  result.tensor = it->second.value;
  return result;
}

FailureOr<Attribute> ModelParser::parseInit(const Token &callee) {
  StringRef kind = callee.spelling;
  SmallVector<double, 2> args;
  SmallVector<Token, 2> argTokens;
  consume(); // '('
  while (!tok.is(TokenKind::RParen)) {
    argTokens.push_back(tok);
    FailureOr<double> value = parseNumber(("an argument of " + kind).str());
    if (failed(value))
      return failure();
    args.push_back(*value);
    if (tok.is(TokenKind::Comma))
      consume();
    else if (!tok.is(TokenKind::RParen))
      return error(tok, "expected ',' or ')', got ") << describe(tok);
  }
  consume(); // ')'
  size_t arity = (kind == "normal" || kind == "uniform") ? 2 : 0;
  if (args.size() != arity) {
    if (arity == 2)
      return error(callee, kind)
             << (kind == "normal" ? " takes (mean, std)" : " takes (low, high)")
             << ", got " << args.size() << " argument"
             << (args.size() == 1 ? "" : "s");
    return error(callee, kind) << " takes no arguments, got " << args.size();
  }
  if (kind == "normal") {
    if (args[1] < 0)
      return error(argTokens[1], "normal std must be >= 0, got ") << args[1];
    return Attribute(NormalInitAttr::get(ctx, args[0], args[1]));
  }
  if (kind == "uniform") {
    if (args[0] > args[1])
      return error(callee, "uniform needs low <= high, got (")
             << args[0] << ", " << args[1] << ")";
    return Attribute(UniformInitAttr::get(ctx, args[0], args[1]));
  }
  if (kind == "zeros")
    return Attribute(ZerosInitAttr::get(ctx));
  if (kind == "glorot_uniform" || kind == "xavier_uniform")
    return Attribute(GlorotUniformInitAttr::get(ctx));
  return Attribute(GlorotNormalInitAttr::get(ctx));
}

FailureOr<ArgValue> ModelParser::parseCall(const Token &callee) {
  constexpr unsigned kMaxDepth = 256;
  if (depth >= kMaxDepth)
    return error(callee, "calls nested more than ")
           << kMaxDepth << " deep; bind intermediate results to names";
  ++depth;
  llvm::scope_exit leave([&] { --depth; });
  ArgValue result;
  result.token = callee;
  if (isInitName(callee.spelling)) {
    FailureOr<Attribute> init = parseInit(callee);
    if (failed(init))
      return failure();
    result.kind = ArgValue::Init;
    result.init = *init;
    return result;
  }
  const Signature *sig = findSignature(callee.spelling);
  if (!sig) {
    std::string known;
    for (const Signature &s : signatures())
      known += (known.empty() ? "" : ", ") + s.op.str();
    return error(callee, "unknown op '")
           << callee.spelling << "'; expected one of " << known;
  }

  // Positional arguments fill parameters in order; keywords by name.
  std::vector<std::optional<ArgValue>> args(sig->params.size());
  size_t positional = 0;
  bool sawKeyword = false;
  size_t requiredCount = llvm::count_if(
      sig->params, [](const Param &p) { return p.required; });
  consume(); // '('
  while (!tok.is(TokenKind::RParen)) {
    Token argStart = tok;
    std::optional<size_t> slot;
    if (tok.is(TokenKind::Identifier)) {
      // A keyword argument is NAME '='; peek by lexing ahead from a copy.
      Lexer peek = lexer;
      if (peek.next().is(TokenKind::Equal)) {
        auto it = llvm::find_if(sig->params, [&](const Param &p) {
          return p.name == argStart.spelling;
        });
        if (it == sig->params.end()) {
          std::string known;
          for (const Param &p : sig->params)
            known += (known.empty() ? "" : ", ") + p.name.str();
          return error(argStart, sig->op)
                 << " has no keyword '" << argStart.spelling
                 << "'; expected one of " << known;
        }
        slot = it - sig->params.begin();
        if (args[*slot])
          return error(argStart, sig->op)
                 << " argument '" << argStart.spelling << "' is given twice";
        consume(); // keyword
        consume(); // '='
        sawKeyword = true;
      }
    }
    if (!slot) {
      if (sawKeyword)
        return error(argStart, "positional argument after a keyword "
                               "argument in the call to ")
               << sig->op << "; put positional arguments first";
      if (positional >= requiredCount) {
        auto diag = error(argStart, sig->op)
                    << " takes " << requiredCount << " positional argument"
                    << (requiredCount == 1 ? "" : "s");
        if (requiredCount < sig->params.size())
          diag << "; pass the others by keyword, e.g. "
               << sig->params[requiredCount].name << "=...";
        return diag;
      }
      slot = positional++;
      if (args[*slot])
        return error(argStart, sig->op)
               << " argument '" << sig->params[*slot].name
               << "' is given twice";
    }
    FailureOr<ArgValue> value = parseValue();
    if (failed(value))
      return failure();
    const Param &param = sig->params[*slot];
    bool kindOk = value->kind == param.kind ||
                  (param.kind == ArgValue::Float &&
                   value->kind == ArgValue::Integer);
    ArgValue expected;
    expected.kind = param.kind;
    if (!kindOk)
      return error(argStart, sig->op)
             << " expects " << expected.kindName() << " for '"
             << param.name << "', got " << value->kindName();
    args[*slot] = *value;
    if (tok.is(TokenKind::Comma))
      consume();
    else if (!tok.is(TokenKind::RParen))
      return error(tok, "expected ',' or ')' in the call to ")
             << sig->op << ", got " << describe(tok);
  }
  consume(); // ')'

  for (size_t i = 0; i < sig->params.size(); ++i) {
    if (!sig->params[i].required || args[i])
      continue;
    std::string names;
    for (const Param &p : sig->params)
      if (p.required)
        names += (names.empty() ? "" : ", ") + p.name.str();
    return error(callee, sig->op)
           << " is missing '" << sig->params[i].name << "'; it needs ("
           << names << ")";
  }

  FailureOr<Value> value = buildOp(callee, *sig, args);
  if (failed(value))
    return failure();
  result.kind = ArgValue::Tensor;
  result.tensor = *value;
  return result;
}

Value ModelParser::createParam(const Token &at, StringRef layer, StringRef role,
                               ArrayRef<int64_t> shape, Attribute init) {
  std::string name = (layer + "." + role).str();
  return ParamOp::create(builder, loc(at),
                         RankedTensorType::get(shape, builder.getF32Type()),
                         builder.getStringAttr(name), init,
                         builder.getI64IntegerAttr(nextSeed++));
}

FailureOr<Value> ModelParser::buildOp(const Token &callee, const Signature &sig,
                                      ArrayRef<std::optional<ArgValue>> args) {
  Location location = loc(callee);
  StringRef op = sig.op;
  auto arg = [&](StringRef name) -> const std::optional<ArgValue> & {
    for (size_t i = 0; i < sig.params.size(); ++i)
      if (sig.params[i].name == name)
        return args[i];
    llvm_unreachable("unknown parameter");
  };
  auto tooLarge = [&](const ArgValue &a, StringRef name) {
    return error(a.token, op) << " " << name << " " << a.integer
                              << " is too large (at most " << kMaxSize << ")";
  };
  auto positive = [&](StringRef name, int64_t fallback) -> FailureOr<int64_t> {
    const auto &a = arg(name);
    if (!a)
      return fallback;
    if (a->integer <= 0)
      return error(a->token, op) << " " << name << " must be positive, got "
                                 << a->integer;
    if (a->integer > kMaxSize)
      return tooLarge(*a, name);
    return a->integer;
  };
  auto nonNegative = [&](StringRef name) -> FailureOr<int64_t> {
    const auto &a = arg(name);
    if (!a)
      return int64_t(0);
    if (a->integer < 0)
      return error(a->token, op) << " " << name << " must be >= 0, got "
                                 << a->integer;
    if (a->integer > kMaxSize)
      return tooLarge(*a, name);
    return a->integer;
  };
  auto initOr = [&](StringRef name, Attribute fallback) {
    const auto &a = arg(name);
    return a ? a->init : fallback;
  };
  Value input = arg(sig.params[0].name)->tensor;
  auto inputType = cast<RankedTensorType>(input.getType());
  auto i64 = [&](int64_t v) { return builder.getI64IntegerAttr(v); };
  auto named = [&](StringRef name, Attribute value) {
    return builder.getNamedAttr(name, value);
  };

  FailureOr<Operation *> created = failure();
  if (op == "dense" || op == "conv2d") {
    FailureOr<int64_t> width = positive(op == "dense" ? "units" : "filters", 1);
    if (failed(width))
      return failure();
    bool hasBias = !arg("bias") || arg("bias")->boolean;
    std::string layer = (op + Twine(++layerCounts[op])).str();
    Attribute weightInit = initOr("init", GlorotUniformInitAttr::get(ctx));
    Attribute biasInit = initOr("bias_init", ZerosInitAttr::get(ctx));
    if (op == "dense") {
      // Shape inference below reports a wrong input rank; the weight only
      // needs a plausible shape until then.
      int64_t in = inputType.getRank() ? inputType.getShape().back() : 1;
      Value weight = createParam(callee, layer, "weight", {in, *width},
                                 weightInit);
      SmallVector<Value, 3> operands = {input, weight};
      if (hasBias)
        operands.push_back(
            createParam(callee, layer, "bias", {*width}, biasInit));
      created = createChecked<DenseOp>(location, operands);
    } else {
      FailureOr<int64_t> kernel = positive("kernel", 1);
      FailureOr<int64_t> stride = positive("stride", 1);
      FailureOr<int64_t> padding = nonNegative("padding");
      if (failed(kernel) || failed(stride) || failed(padding))
        return failure();
      int64_t channels = inputType.getRank() == 4 ? inputType.getDimSize(1) : 1;
      Value filter = createParam(callee, layer, "weight",
                                 {*width, channels, *kernel, *kernel},
                                 weightInit);
      SmallVector<Value, 3> operands = {input, filter};
      if (hasBias)
        operands.push_back(
            createParam(callee, layer, "bias", {*width}, biasInit));
      created = createChecked<Conv2DOp>(
          location, operands,
          {named("stride", i64(*stride)), named("padding", i64(*padding))});
    }
  } else if (op == "max_pool2d" || op == "avg_pool2d") {
    FailureOr<int64_t> kernel = positive("kernel", 1);
    if (failed(kernel))
      return failure();
    FailureOr<int64_t> stride = positive("stride", *kernel);
    FailureOr<int64_t> padding = nonNegative("padding");
    if (failed(stride) || failed(padding))
      return failure();
    SmallVector<NamedAttribute, 3> attrs = {named("kernel", i64(*kernel)),
                                            named("stride", i64(*stride)),
                                            named("padding", i64(*padding))};
    created = op == "max_pool2d"
                  ? createChecked<MaxPool2DOp>(location, input, attrs)
                  : createChecked<AvgPool2DOp>(location, input, attrs);
  } else if (op == "relu") {
    created = createChecked<ReluOp>(location, input);
  } else if (op == "sigmoid") {
    created = createChecked<SigmoidOp>(location, input);
  } else if (op == "flatten") {
    created = createChecked<FlattenOp>(location, input);
  } else if (op == "softmax_ce") {
    if (lossToken) {
      auto diag = error(callee, "a model has one loss; softmax_ce is already "
                                "used");
      diag.attachNote(loc(*lossToken)) << "the loss is defined here";
      return failure();
    }
    Value labels = arg("labels")->tensor;
    if (!labels.getDefiningOp<LabelOp>())
      return error(arg("labels")->token,
                   "softmax_ce expects the model's label as its second "
                   "argument");
    created = createChecked<SoftmaxCEOp>(location, ValueRange{input, labels});
    if (succeeded(created)) {
      lossToken = callee;
      lossValue = (*created)->getResult(0);
      correctValue = (*created)->getResult(1);
    }
  }
  if (failed(created))
    return failure();
  return (*created)->getResult(0);
}

OwningOpRef<ModuleOp> dlc::parseModelFile(llvm::SourceMgr &sourceMgr,
                                          MLIRContext *context,
                                          const FrontEndOptions &options) {
  context->loadDialect<DLDialect, func::FuncDialect>();
  ModelParser parser(sourceMgr, context, options);
  return parser.parse();
}
