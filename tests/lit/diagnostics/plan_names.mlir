// Names a plan carries are quoted in dlrun's one-line messages, which
// refuse control bytes in them: dlc refuses to write such a plan.
// RUN: dlc %models/mlp.dl --emit=graph | sed 's/^module @mlp/module @"ml\\0Ap"/' > %t.model.mlir
// RUN: not dlc %t.model.mlir -o %t.model.plan 2>&1 | FileCheck %s --check-prefix=MODEL --implicit-check-not=error:
// RUN: not test -e %t.model.plan
// RUN: dlc %models/mlp.dl --emit=fused | sed 's/@k1_dense\b/@"k1\\01dense"/g' > %t.kernel.mlir
// RUN: not dlc %t.kernel.mlir -o %t.kernel.plan 2>&1 | FileCheck %s --check-prefix=KERNEL --implicit-check-not=error:
// RUN: not test -e %t.kernel.plan

// MODEL: error: the module's name holds control bytes
// KERNEL: error: kernel {{[0-9]+}}: its symbol or origin ops hold control bytes
