//===- BufferizeKernels.cpp - kernels from tensors to their buffers -------===//
//
// The target-neutral step between dl-lower-kernels-to-linalg and a target:
// every kernel writes into its argument buffers, allocation-free, and then
// splits into row slices. CPU and CUDA code generation both start here.
//
//===----------------------------------------------------------------------===//

#include "dlc/Dialect/DL/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void dlc::dl::buildBufferizeKernelsPipeline(OpPassManager &pm,
                                              int64_t sliceThreads,
                                              int64_t outputsPerThread,
                                              bool phases) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Results that are just the destination arguments go away: kernels
  // return nothing. The canonicalizer first folds the reshapes that a
  // blocked layout puts around a destination (collapse of expand).
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createDropEquivalentBufferResultsPass());
  // CSE merges the subviews of a padded copy's extract/insert pair, and
  // the canonicalizer after it drops the resulting self-copy.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  DistributeWorkgroupsOptions distribute;
  distribute.threads = sliceThreads;
  distribute.outputsPerThread = outputsPerThread;
  distribute.phases = phases;
  pm.addPass(createDistributeWorkgroups(distribute));
  pm.addPass(createSortGlobals());
}
