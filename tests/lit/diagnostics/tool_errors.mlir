// Errors of the dlc driver itself: a tool-level `dlc: error: ...` line and a
// non-zero exit, never a crash. (--emit=graph keeps the checks independent of
// the default output, a binary plan that needs -o.)

// RUN: not dlc %t.nonexistent.dl --emit=graph 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: dlc: error: cannot open input file '{{.*}}.nonexistent.dl': No such file or directory

// RUN: not dlc --no-such-flag %models/mlp.dl --emit=graph 2>&1 | FileCheck %s --check-prefix=FLAG
// FLAG: dlc: Unknown command line argument '--no-such-flag'

// RUN: not dlc %models/mlp.dl --emit=graph --batch=-1 2>&1 | FileCheck %s --check-prefix=BATCH --implicit-check-not=module
// BATCH: dlc: error: --batch must be >= 1 (0 keeps the model's batch), got -1

// RUN: not dlc %models/mlp.dl --emit=graph --batch=abc 2>&1 | FileCheck %s --check-prefix=BATCHNAN
// BATCHNAN: dlc: for the --batch option: '{{abc}}' value invalid for {{.*}} argument!

// RUN: not dlc %models/mlp.dl --emit=nonsense 2>&1 | FileCheck %s --check-prefix=EMIT
// EMIT: dlc: for the --emit option: Cannot find option named 'nonsense'!

// RUN: not dlc 2>&1 | FileCheck %s --check-prefix=NOINPUT
// NOINPUT: dlc: Not enough positional command line arguments specified!

// An output file that cannot be created.
// RUN: not dlc %models/mlp.dl --emit=graph -o %t.nonexistent-dir/out.mlir 2>&1 | FileCheck %s --check-prefix=OUTPUT
// OUTPUT: dlc: error: {{.*}}out.mlir{{.*}}

// An unknown --cpu is one line from dlc, before any compilation.
// RUN: not dlc %models/mlp.dl --cpu=bogus -o %t.plan 2>&1 | FileCheck %s --check-prefix=CPU --implicit-check-not=recognized
// CPU: dlc: error: --cpu: unknown CPU 'bogus' (try native or x86-64-v3)
