// dlc reads .mlir at the stages in the dl dialect; a dump of a later stage
// is refused (dl-opt runs passes on it).
// RUN: dlc %models/mlp.dl --emit=linalg > %t.linalg.mlir
// RUN: not dlc %t.linalg.mlir -o %t.plan 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.plan
// RUN: dlc %models/mlp.dl --emit=fused > %t.fused.mlir
// RUN: dlc %t.fused.mlir -o %t.fused.plan
// The simulator's CPU functions are for tests only.
// RUN: sed 's/dl.flops = /dl.simulated_block = 256 : i64, dl.flops = /' %t.fused.mlir > %t.simulated.mlir
// RUN: not dlc %t.simulated.mlir --target=cuda -o %t.simulated.plan 2>&1 | FileCheck %s --check-prefix=SIMULATED

// CHECK: error: dlc reads the graph, train-graph or fused stage; this module is at the linalg stage (dl-opt runs passes on any stage)
// SIMULATED: error: a kernel simulated on the CPU (dl.simulated_block) is for tests; dlc does not compile it
