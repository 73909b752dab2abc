//===- dlrun.cpp - train a model from a dlc training plan -----------------===//
//
// dlrun PLAN [options]: loads and checks the plan, reads the IDX data set,
// trains for the requested epochs printing one line per epoch, and
// optionally saves the trained parameters, writes the epochs to a metrics
// file (--metrics) and draws the training curves (--plot). On a terminal a
// progress line on stderr shows how a long epoch goes. --eval-only --load
// evaluates saved parameters instead; --step-losses N prints the first N
// step losses (to compare targets). CUDA plans run on an NVIDIA GPU
// (--device) through the driver, loaded at run time. Links no LLVM, MLIR or
// Python. Every error is one line "dlrun: error: ..." and exit status 1.
//
//===----------------------------------------------------------------------===//

#include "data/IdxReader.h"
#include "plan/PlanFile.h"
#include "plan/PlanPrinter.h"
#include "report/Metrics.h"
#include "report/Plot.h"
#include "report/ProgressBar.h"
#include "train/ParamFile.h"
#include "train/Trainer.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

using namespace dlc::runtime;

namespace {
int fail(std::string message) {
  // Messages may quote file contents or paths: keep them one line.
  for (char &c : message)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = c == '\n' ? ' ' : '?';
  std::fflush(stdout);
  std::fprintf(stderr, "dlrun: error: %s\n", message.c_str());
  return 1;
}

std::string oneLine(std::string text) {
  for (char &c : text)
    if (c == '\n')
      c = ' ';
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}

struct Options {
  std::string plan;
  std::string data = "/usr/share/datasets/fashion-mnist";
  int64_t epochs = 0;
  double lr = 0, weightDecay = 0, momentum = 0;
  uint64_t seed = 0;
  unsigned threads = 0;
  int device = 0;
  int64_t limitTrain = 0, stepLosses = 0;
  std::string save, load, metrics, plot;
  bool inspect = false, evalOnly = false, profile = false;
};

/// Counts (epochs, examples, steps) beyond any dataset dlrun reads.
constexpr int64_t kMaxCount = int64_t(1) << 31;

/// CLI11 reads "-1" into an unsigned option as 2^64 - 1.
const CLI::Validator kUnsigned(
    [](std::string &value) -> std::string {
      if (value.find('-') != std::string::npos)
        return "expected a non-negative integer, got " + value;
      return "";
    },
    "UINT");

std::string formatFlag(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

} // namespace

int main(int argc, char **argv) {
  Options opts;
  opts.threads = std::thread::hardware_concurrency();
  if (opts.threads == 0)
    opts.threads = 1;

  CLI::App app{"Trains a model from a dlc training plan (.plan).\n"
               "Each epoch trains on the shuffled training set in full "
               "batches (the remainder that does not fill a batch is "
               "dropped), then evaluates the whole test set once.",
               "dlrun"};
  app.add_option("PLAN", opts.plan, "Training plan written by dlc")
      ->required();
  app.add_option("--data", opts.data,
                 "Directory with the IDX files (train-images-idx3-ubyte, "
                 "train-labels-idx1-ubyte, t10k-*; raw or .gz)")
      ->capture_default_str();
  CLI::Option *epochsOpt =
      app.add_option("--epochs", opts.epochs,
                     "Epochs to train (default: from the plan)")
          ->check(CLI::Range(int64_t(0), kMaxCount));
  CLI::Option *lrOpt = app.add_option(
      "--lr", opts.lr, "Learning rate (default: from the plan)");
  CLI::Option *wdOpt = app.add_option(
      "--weight-decay", opts.weightDecay,
      "L2 weight decay (default: from the plan)");
  CLI::Option *momentumOpt = app.add_option(
      "--momentum", opts.momentum,
      "SGD momentum (default: from the plan; non-zero needs a plan compiled "
      "with momentum)");
  app.add_option("--seed", opts.seed,
                 "Seed of parameter init and of the shuffle")
      ->capture_default_str()
      ->check(kUnsigned);
  app.add_option("--threads", opts.threads,
                 "Threads running kernels of a CPU plan (default: all "
                 "cores)")
      ->check(CLI::Range(1u, 4096u));
  CLI::Option *deviceOpt =
      app.add_option("--device", opts.device,
                     "GPU running a CUDA plan (default: 0)")
          ->check(CLI::Range(0, 1023));
  app.add_option("--limit-train", opts.limitTrain,
                 "Train on the first N examples only (N >= batch)")
      ->check(CLI::Range(int64_t(1), kMaxCount));
  app.add_option("--save", opts.save,
                 "Write the trained parameters to FILE (atomically)");
  app.add_option("--load", opts.load,
                 "Start from parameters saved by --save for this model");
  app.add_option("--metrics", opts.metrics,
                 "Write one record per epoch to FILE.csv or FILE.json (the "
                 "extension picks the format), updated after every epoch");
  app.add_option("--plot", opts.plot,
                 "Draw train/test loss and accuracy against the epoch into "
                 "FILE.svg at the end (needs gnuplot)");
  app.add_flag("--eval-only", opts.evalOnly,
               "Evaluate the parameters of --load on the test set, print "
               "the test loss and accuracy, and exit");
  app.add_flag("--inspect", opts.inspect,
               "Print a summary of the plan and exit (needs no data)");
  app.add_flag("--profile", opts.profile,
               "CPU plans: time every kernel launch and print, after "
               "training, each kernel's time per step to stderr");
  app.add_option("--step-losses", opts.stepLosses,
                 "Train only the first N steps of epoch 1, print each "
                 "step's loss (\"step I loss X\") and exit; compares targets")
      ->check(CLI::Range(int64_t(1), kMaxCount));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    std::printf("%s", app.help().c_str());
    return 0;
  } catch (const CLI::ParseError &e) {
    return fail(oneLine(e.what()) + " (see --help)");
  }

  std::string error;
  // The optimizer's hyper-parameters obey the model language's rules.
  if (lrOpt->count() && !(std::isfinite(opts.lr) && opts.lr > 0))
    return fail("--lr must be finite and > 0, got " + formatFlag(opts.lr));
  if (wdOpt->count() &&
      !(std::isfinite(opts.weightDecay) && opts.weightDecay >= 0))
    return fail("--weight-decay must be finite and >= 0, got " +
                formatFlag(opts.weightDecay));
  if (momentumOpt->count() && !(opts.momentum >= 0 && opts.momentum < 1))
    return fail("--momentum must be in [0, 1), got " +
                formatFlag(opts.momentum));
  // Flags that contradict each other, and file names that cannot work, are
  // refused before anything is read.
  if (opts.stepLosses > 0) {
    if (opts.evalOnly)
      return fail("--step-losses trains and --eval-only does not; use one");
    for (const auto &[flag, value] :
         {std::pair<const char *, std::string *>{"--metrics", &opts.metrics},
          {"--plot", &opts.plot}})
      if (!value->empty())
        return fail(std::string("--step-losses prints steps, not epochs; ") +
                    flag + " cannot be used with it");
  }
  if (opts.evalOnly) {
    if (opts.load.empty())
      return fail("--eval-only needs --load FILE: the parameters to "
                  "evaluate");
    for (const auto &[flag, value] :
         {std::pair<const char *, std::string *>{"--save", &opts.save},
          {"--metrics", &opts.metrics},
          {"--plot", &opts.plot}})
      if (!value->empty())
        return fail(std::string("--eval-only trains nothing; ") + flag +
                    " cannot be used with it");
  }
  MetricsWriter::Format metricsFormat;
  if (!opts.metrics.empty() &&
      !MetricsWriter::formatOf(opts.metrics, metricsFormat, error))
    return fail(error);

  // --inspect reads everything but the code, so that a plan compiled for
  // another CPU can still be looked at.
  std::unique_ptr<PlanFile> plan =
      PlanFile::load(opts.plan, error,
                     opts.inspect ? PlanFile::LoadMode::MetadataOnly
                                  : PlanFile::LoadMode::Full);
  if (!plan)
    return fail(error);
  const dlc::plan::Plan &p = plan->plan();
  if (opts.inspect) {
    std::printf("%s", describePlan(*plan).c_str());
    return 0;
  }
  bool cuda = plan->target() == PlanTarget::Cuda;
  if (deviceOpt->count() && !cuda)
    return fail("--device selects the GPU of a CUDA plan, but " + opts.plan +
                " is a CPU plan");
  if (opts.profile && cuda)
    return fail("--profile times the kernels of CPU plans; " + opts.plan +
                " is a CUDA plan (per-kernel GPU times: PROFILE=1 "
                "tools/gpu-check.sh)");

  TrainConfig config;
  config.lr = lrOpt->count() ? opts.lr : p.default_lr();
  config.weightDecay =
      wdOpt->count() ? opts.weightDecay : p.default_weight_decay();
  config.momentum =
      momentumOpt->count() ? opts.momentum : p.default_momentum();
  config.seed = opts.seed;
  config.limitTrain = opts.limitTrain;
  int64_t epochs = epochsOpt->count() ? opts.epochs : p.default_epochs();
  if (!opts.plot.empty() && epochs == 0)
    return fail("--plot needs at least one epoch to draw (--epochs 0 given)");

  ExecutionOptions execution;
  execution.threads = opts.threads;
  execution.device = opts.device;
  execution.profile = opts.profile;
  std::unique_ptr<Trainer> trainer = Trainer::create(*plan, execution, error);
  if (!trainer || !trainer->checkConfig(config, error))
    return fail(error);
  // Which GPU and which code ran: the first thing to know about a GPU run.
  if (!trainer->deviceDescription().empty())
    std::fprintf(stderr, "dlrun: %s\n", trainer->deviceDescription().c_str());
  // Refuse an unwritable --save, --metrics or --plot target, or a missing
  // gnuplot, before spending time on training.
  for (const std::string *target : {&opts.save, &opts.metrics})
    if (!target->empty() && !checkWritableDirectory(*target, error))
      return fail(error);
  if (!opts.plot.empty() && !checkPlotTarget(opts.plot, error))
    return fail(error);

  // Parameters before data: a wrong --load file is refused without first
  // reading a large data set.
  trainer->initParameters(opts.seed);
  if (!trainer->error().empty())
    return fail(trainer->error());
  if (!opts.load.empty()) {
    std::vector<ParamTensor> params = trainer->parameters();
    if (!trainer->error().empty())
      return fail(trainer->error());
    if (!loadParameters(params, opts.load, error))
      return fail(error);
    trainer->storeParameters();
    if (!trainer->error().empty())
      return fail(trainer->error());
  }

  Dataset data;
  if (!loadDataset(opts.data, data, error) ||
      !trainer->checkData(data, opts.data,
                          opts.evalOnly ? 0 : opts.limitTrain, error))
    return fail(error);

  // --save: the parameters as trained, read back from the device if need be.
  auto save = [&]() -> int {
    if (opts.save.empty())
      return 0;
    std::vector<ParamTensor> params = trainer->parameters();
    if (!trainer->error().empty())
      return fail(trainer->error());
    if (!saveParameters(params, opts.save, error))
      return fail(error);
    return 0;
  };

  if (opts.stepLosses > 0) {
    int64_t batches = trainer->batchesPerEpoch(data, opts.limitTrain);
    if (opts.stepLosses > batches)
      return fail("--step-losses " + std::to_string(opts.stepLosses) +
                  " is more than the " + std::to_string(batches) +
                  " steps of an epoch");
    std::vector<float> losses =
        trainer->stepLosses(data, opts.stepLosses, config);
    if (!trainer->error().empty())
      return fail(trainer->error());
    for (size_t i = 0; i < losses.size(); ++i)
      std::printf("step %zu loss %.9g\n", i + 1,
                  static_cast<double>(losses[i]));
    std::fflush(stdout);
    // Saving lets both targets' parameters after N steps be compared too.
    return save();
  }

  // The progress line is for a person watching a terminal; anything else
  // (a file, a pipe, a test) sees nothing of it.
  std::unique_ptr<ProgressBar> bar;
  if (isatty(STDERR_FILENO)) {
    bar = std::make_unique<ProgressBar>(STDERR_FILENO);
    ProgressBar::eraseOnSignal();
    trainer->setProgress(
        [&bar](const StepProgress &progress) { bar->update(progress); });
  }

  if (opts.evalOnly) {
    if (bar)
      bar->startEpoch(0, 0);
    double lossSum = 0;
    int64_t correct = 0;
    trainer->evaluate(data.testImages, data.testLabels, lossSum, correct);
    if (bar)
      bar->clear();
    if (!trainer->error().empty())
      return fail(trainer->error());
    double count = static_cast<double>(data.testImages.count);
    std::printf("Test loss %.4f, Test acc %.4f\n", lossSum / count,
                static_cast<double>(correct) / count);
    return 0;
  }

  RunInfo run;
  run.model = p.model_name() ? p.model_name()->str() : plan->name();
  run.plan = opts.plan;
  run.data = opts.data;
  run.lr = config.lr;
  run.weightDecay = config.weightDecay;
  run.momentum = config.momentum;
  run.batch = p.batch();
  run.limitTrain = opts.limitTrain;
  run.seed = opts.seed;
  run.epochs = epochs;
  std::unique_ptr<MetricsWriter> metrics;
  if (!opts.metrics.empty() &&
      !(metrics = MetricsWriter::create(opts.metrics, run, error)))
    return fail(error);

  std::vector<EpochRecord> history;
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    if (bar)
      bar->startEpoch(epoch, epochs);
    EpochResult r = trainer->runEpoch(data, epoch, config);
    if (bar)
      bar->clear();
    if (!trainer->error().empty())
      return fail(trainer->error());
    // The metrics file first: whoever reads epoch k's line finds epoch k
    // in the file.
    history.push_back({epoch, r});
    if (metrics && !metrics->append(history.back(), error))
      return fail(error);
    std::printf("Epoch %lld. Loss: %.4f, Train acc %.4f, Test loss %.4f, "
                "Test acc %.4f, Time %.3f s\n",
                static_cast<long long>(epoch), r.loss, r.trainAccuracy,
                r.testLoss, r.testAccuracy, r.seconds);
    std::fflush(stdout);
  }

  if (opts.profile)
    std::fprintf(stderr, "%s", trainer->profileReport().c_str());
  if (int rc = save())
    return rc;
  if (!opts.plot.empty() && !writePlot(run, history, opts.plot, error))
    return fail(error);
  return 0;
}
