//===- CudaPlanTest.cpp - CUDA plans without a GPU ------------------------===//
//
// Loading and checking CUDA plans, --inspect's summary of them, the PTX
// entry scan, and loading the driver library (missing, incomplete, fake).
//
//===----------------------------------------------------------------------===//

#include "ToyPlan.h"

#include "cuda/CudaDriver.h"
#include "plan/PlanFile.h"
#include "plan/PlanPrinter.h"
#include "plan/PtxEntries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <functional>

using namespace dlc;
using namespace dlc::runtime;
using namespace dlc::test;

namespace {

std::unique_ptr<PlanFile> load(const PlanSpec &spec, std::string &error) {
  return PlanFile::loadBytes(buildPlanFile(spec), "toy.plan", error);
}

TEST(CudaPlan, LoadsWithoutADriver) {
  std::string error;
  std::unique_ptr<PlanFile> plan = load(makeToyCudaPlan(ToySize::Small), error);
  ASSERT_NE(plan, nullptr) << error;
  EXPECT_EQ(plan->target(), PlanTarget::Cuda);
  EXPECT_FALSE(plan->codeLoaded());
  EXPECT_EQ(plan->plan().gather_kernel(), 7);
  EXPECT_EQ(plan->plan().accumulate_kernel(), 8);
  // An old plan without a target is a CPU plan.
  PlanSpec cpu = makeToyPlan(ToySize::Small);
  cpu.target.clear();
  plan = load(cpu, error);
  ASSERT_NE(plan, nullptr) << error;
  EXPECT_EQ(plan->target(), PlanTarget::Cpu);
  EXPECT_TRUE(plan->codeLoaded());
}

struct BrokenCase {
  const char *what;
  std::function<void(PlanSpec &)> breakIt;
  const char *message;
};

TEST(CudaPlan, Checks) {
  const BrokenCase cases[] = {
      {"no ptx", [](PlanSpec &s) { s.ptx.clear(); },
       "the CUDA plan has no PTX"},
      {"gather out of range", [](PlanSpec &s) { s.gatherKernel = 9; },
       "gather_kernel 9 is out of range [0, 9)"},
      {"no gather kernel", [](PlanSpec &s) { s.gatherKernel = -1; },
       "gather_kernel -1 is out of range [0, 9)"},
      {"accumulate out of range", [](PlanSpec &s) { s.accumulateKernel = 100; },
       "accumulate_kernel 100 is out of range [0, 9)"},
      {"same data kernel",
       [](PlanSpec &s) { s.accumulateKernel = s.gatherKernel; },
       "gather_kernel and accumulate_kernel are the same kernel 7"},
      {"block 0", [](PlanSpec &s) { s.kernels[2].block = 0; },
       "kernel 2 'toy_reduce_train' has block 0; CUDA blocks have 1 to 1024 "
       "threads"},
      {"block 2048", [](PlanSpec &s) { s.kernels[0].block = 2048; },
       "kernel 0 'toy_logits' has block 2048"},
      {"negative shared memory",
       [](PlanSpec &s) { s.kernels[1].sharedBytes = -4; },
       "kernel 1 'toy_softmax_ce_grad' has shared_bytes -4; it must be >= 0"},
      {"grid too large",
       [](PlanSpec &s) { s.kernels[0].workgroups = int64_t(INT32_MAX) + 1; },
       "kernel 0 'toy_logits' has 2147483648 workgroups; a CUDA grid holds "
       "at most 2147483647"},
      {"no workgroups", [](PlanSpec &s) { s.kernels[3].workgroups = 0; },
       "kernel 3 'toy_grad' has 0 workgroups; it needs at least 1"},
      {"a step launches gather",
       [](PlanSpec &s) { s.trainLaunches[0].kernel = s.gatherKernel; },
       "kernel 'dl_gather_batch' moves data between steps"},
      {"entry missing",
       [](PlanSpec &s) { s.kernels[4].symbol = "toy_sgd_nope"; },
       "kernel 'toy_sgd_nope' is not an .entry of the PTX"},
      {"parameter count",
       [](PlanSpec &s) {
         s.trainLaunches[2].bindings.push_back(0);
         s.trainLaunches[2].access.push_back(1);
       },
       "kernel 'toy_reduce_train' takes 4 parameters in the PTX but is "
       "launched with 5 device pointers"},
      {"inconsistent launches",
       [](PlanSpec &s) {
         s.evalLaunches[0].bindings.pop_back();
         s.evalLaunches[0].access.pop_back();
       },
       "kernel 'toy_logits' is launched with 4 and with 3 bindings"},
      {"access per binding",
       [](PlanSpec &s) { s.trainLaunches[1].access.pop_back(); },
       "train_step launch 1 has 4 access entries for 5 bindings"},
      {"unknown access",
       [](PlanSpec &s) { s.trainLaunches[3].access[2] = 4; },
       "train_step launch 3 has access 4 for argument 2 (read 1, write 2)"},
      {"unknown target", [](PlanSpec &s) { s.target = "tpu"; },
       "target 'tpu' is not one this dlrun runs (cpu or cuda)"},
      {"dependent launch before sm_90",
       [](PlanSpec &s) {
         s.dependentLaunch = true;
         s.gpuArch = "sm_80";
       },
       "dependent_launch needs a CUDA plan for sm_90 or later "
       "(griddepcontrol); this one is for 'sm_80'"},
      {"dependent launch of an odd architecture",
       [](PlanSpec &s) {
         s.dependentLaunch = true;
         s.gpuArch = "sm_-1";
       },
       "dependent_launch needs a CUDA plan for sm_90 or later "
       "(griddepcontrol); this one is for 'sm_-1'"},
      {"dependent launch without the waits",
       [](PlanSpec &s) { s.dependentLaunch = true; },
       "the plan has dependent_launch, but kernel 'toy_logits' may touch "
       "global memory before griddepcontrol.wait in the PTX"},
  };
  for (const BrokenCase &c : cases) {
    SCOPED_TRACE(c.what);
    PlanSpec spec = makeToyCudaPlan(ToySize::Small);
    c.breakIt(spec);
    std::string error;
    EXPECT_EQ(load(spec, error), nullptr);
    EXPECT_TRUE(contains(error, std::string("toy.plan: ") + c.message));
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
  // The CPU rules still hold for CPU plans: no code, no plan.
  PlanSpec cpu = makeToyPlan(ToySize::Small);
  cpu.code.clear();
  std::string error;
  EXPECT_EQ(load(cpu, error), nullptr);
  EXPECT_TRUE(contains(error, "has no code"));
  // Dependent launches are a CUDA plan's.
  PlanSpec dependent = makeToyPlan(ToySize::Small);
  dependent.dependentLaunch = true;
  EXPECT_EQ(load(dependent, error), nullptr);
  EXPECT_TRUE(contains(error, "dependent_launch needs a CUDA plan for sm_90 "
                              "or later (griddepcontrol); this one is for "
                              "'cpu'"))
      << error;
}

TEST(CudaPlan, Inspect) {
  PlanSpec spec = makeToyCudaPlan(ToySize::Small);
  std::string error;
  std::unique_ptr<PlanFile> plan = PlanFile::loadBytes(
      buildPlanFile(spec), "toy.plan", error, PlanFile::LoadMode::MetadataOnly);
  ASSERT_NE(plan, nullptr) << error;
  std::string text = describePlan(*plan);
  EXPECT_TRUE(contains(text, "  target          cuda, gpu sm_90\n"));
  EXPECT_TRUE(contains(text, "  ptx             " +
                                 std::to_string(spec.ptx.size()) + " B ("));
  EXPECT_TRUE(contains(text, " KiB), ISA 8.0, .target sm_90\n"));
  EXPECT_TRUE(
      contains(text, "  cubin           none (the PTX is compiled at load)"));
  EXPECT_TRUE(contains(text, "kernels: 9, launched as grid x block threads"));
  EXPECT_TRUE(contains(text, "    0  toy_logits  grid 4, block 128, shared "
                             "0 B, flops 1000, bytes 2000"));
  EXPECT_TRUE(contains(text, "    7  dl_gather_batch (gather_kernel)  grid "
                             "4, block 256"));
  EXPECT_TRUE(contains(text, "    8  dl_accumulate (accumulate_kernel)  "
                             "grid 1, block 1"));
  EXPECT_FALSE(contains(text, "cpu features"));
  EXPECT_TRUE(contains(text, "train_step: 6 launches"));
  // Written arguments are marked, and each launch lists the earlier ones
  // it waits for: the metrics' reduction (2) and the gradients (3) both
  // wait for the softmax (1) alone, and so the two run side by side.
  EXPECT_TRUE(contains(text, "    0  toy_logits(image, dense.w, dense.b, "
                             "logits [w])\n"));
  EXPECT_TRUE(contains(text, "    2  toy_reduce_train(row_loss, row_correct, "
                             "train_loss [w], train_correct [w])  after 1\n"));
  EXPECT_TRUE(contains(text, "    3  toy_grad(image, logits.grad, "
                             "dense.w.grad [w], dense.b.grad [w])  after 1\n"));
  EXPECT_TRUE(contains(text, "    4  toy_sgd_w(dense.w [rw], dense.w.grad, "
                             "dense.w.velocity [rw], lr, weight_decay, "
                             "momentum)  after 3\n"));

  spec.cubin = fakeCubin(spec, "sm_90");
  spec.kernels[1].sharedBytes = 65536;
  plan = PlanFile::loadBytes(buildPlanFile(spec), "toy.plan", error,
                             PlanFile::LoadMode::MetadataOnly);
  ASSERT_NE(plan, nullptr) << error;
  text = describePlan(*plan);
  EXPECT_TRUE(contains(text, "  cubin           " +
                                 std::to_string(spec.cubin.size()) + " B"));
  EXPECT_TRUE(contains(text, " for sm_90\n"));
  EXPECT_TRUE(contains(text, "shared 65536 B (64.0 KiB)"));
}

TEST(CudaPlan, PtxEntries) {
  std::map<std::string, int> entries = ptxEntryParameterCounts(
      "// .entry commented_out(.param .u64 a)\n"
      ".version 8.0\n"
      "/* .entry also_commented(.param .u64 a) */\n"
      ".visible .entry two(\n"
      "\t.param .u64 .ptr .global .align 16 two_param_0,\n"
      "\t.param .u64 two_param_1\n"
      ")\n"
      "{ ret; }\n"
      ".entry none()\n{ ret; }\n"
      ".entry bare\n{ ret; }\n"
      ".visible .entry spaced ( .param .u64 x , .param .u32 y ,\n"
      "  .param .align 8 .b8 z[16] )\n"
      ".func (.param .u64 r) helper(.param .u64 a)\n"
      "not.entry fake(.param .u64 a)\n");
  EXPECT_EQ(ptxModuleDirective("// .version 9.9\n.version 8.5\n"
                               ".target sm_90a\n",
                               ".version"),
            "8.5");
  EXPECT_EQ(
      ptxModuleDirective(".version 8.5\n.target sm_90a, debug\n", ".target"),
      "sm_90a,");
  EXPECT_EQ(ptxModuleDirective(".version 8.5\n", ".target"), "");
  EXPECT_EQ(entries, (std::map<std::string, int>{
                         {"two", 2}, {"none", 0}, {"bare", 0}, {"spaced", 3}}));
}

TEST(CudaPlan, PtxEntriesWaitingFirst) {
  // What may come before griddepcontrol.wait: declarations, parameter,
  // shared and local accesses, labels, guards; not a global or generic
  // load, store or atomic, nor a call. A name's prefix is another entry.
  std::map<std::string, bool> waits = ptxEntriesWaitingFirst(
      ".version 8.0\n"
      ".visible .entry k1(.param .u64 a)\n"
      "{\n\t.reg .b64 %rd<3>;\n\tld.param.b64 %rd1, [a];\n"
      "\tcvta.to.global.u64 %rd2, %rd1;\n\tst.shared.b32 [%rd2], 0;\n"
      "$L0:\n\t@%p1 bra $L0;\n\tgriddepcontrol.wait;\n"
      "\tld.global.b32 %r1, [%rd2];\n\tret;\n}\n"
      ".visible .entry k10(.param .u64 a)\n"
      "{\n\tld.param.b64 %rd1, [a];\n\t@%p1 ld.global.b32 %r1, [%rd1];\n"
      "\tgriddepcontrol.wait;\n\tret;\n}\n"
      ".entry generic(.param .u64 a)\n"
      "{\n\t{ .reg .b32 %t; mov.b32 %t, 0; }\n"
      "\tld.v4.f32 {%f1, %f2, %f3, %f4}, [%rd1];\n\tgriddepcontrol.wait;\n}\n"
      ".entry atomic(.param .u64 a)\n{\n\tatom.add.f32 %f1, [%rd1], %f2;\n}\n"
      ".entry calls(.param .u64 a)\n{\n\tcall.uni helper, (a);\n}\n"
      ".entry quiet(.param .u64 a)\n{\n\tmov.u32 %r1, %tid.x;\n\tret;\n}\n"
      ".entry labelled()\n{\n$L1:st.global.b32 [%rd1], 0;\n"
      "\tgriddepcontrol.wait;\n}\n");
  EXPECT_EQ(waits, (std::map<std::string, bool>{{"k1", true},
                                                {"k10", false},
                                                {"generic", false},
                                                {"atomic", false},
                                                {"calls", false},
                                                {"quiet", true},
                                                {"labelled", false}}));
}

TEST(CudaDriverLoader, MissingLibrary) {
  std::string error;
  bool missing = false;
  EXPECT_EQ(cuda::CudaDriver::load("/nonexistent/libcuda.so.1", error, missing),
            nullptr);
  EXPECT_TRUE(missing);
  EXPECT_TRUE(contains(error, "/nonexistent/libcuda.so.1: cannot open shared "
                              "object file"));
}

TEST(CudaDriverLoader, LibraryWithoutTheApi) {
  std::string error;
  bool missing = true;
  EXPECT_EQ(cuda::CudaDriver::load(DLC_TOY_KERNELS_SMALL, error, missing),
            nullptr);
  EXPECT_FALSE(missing);
  EXPECT_TRUE(contains(error, std::string("the NVIDIA driver ") +
                                  DLC_TOY_KERNELS_SMALL +
                                  " does not export cuInit"));
}

TEST(CudaDriverLoader, ResolvesEverySymbol) {
  std::string error;
  bool missing = true;
  std::unique_ptr<cuda::CudaDriver> driver =
      cuda::CudaDriver::load(DLC_FAKE_CUDA, error, missing);
  ASSERT_NE(driver, nullptr) << error;
  EXPECT_FALSE(missing);
  std::vector<const char *> symbols = cuda::CudaDriver::symbols();
  EXPECT_EQ(symbols.size(), 37u);
  EXPECT_NE(std::find_if(symbols.begin(), symbols.end(),
                         [](const char *s) {
                           return std::string(s) == "cuMemAlloc_v2";
                         }),
            symbols.end());
  EXPECT_EQ(driver->describe(2), "CUDA error 2: unknown error");
  EXPECT_EQ(driver->describe(700),
            "CUDA_ERROR_ILLEGAL_ADDRESS: an illegal memory access was "
            "encountered");
}

TEST(CudaDriverLoader, DefaultPath) {
  const char *saved = std::getenv("DLC_CUDA_DRIVER");
  std::string restore = saved ? saved : "";
  unsetenv("DLC_CUDA_DRIVER");
  EXPECT_EQ(cuda::CudaDriver::defaultPath(), "libcuda.so.1");
  setenv("DLC_CUDA_DRIVER", "", 1);
  EXPECT_EQ(cuda::CudaDriver::defaultPath(), "libcuda.so.1");
  setenv("DLC_CUDA_DRIVER", "/x/libcuda.so", 1);
  EXPECT_EQ(cuda::CudaDriver::defaultPath(), "/x/libcuda.so");
  if (saved)
    setenv("DLC_CUDA_DRIVER", restore.c_str(), 1);
  else
    unsetenv("DLC_CUDA_DRIVER");
}

} // namespace
