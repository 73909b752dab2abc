//===- Passes.td - dl dialect passes -----------------------*- tablegen -*-===//

#ifndef DLC_DIALECT_DL_TRANSFORMS_PASSES_TD
#define DLC_DIALECT_DL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GenerateTrainStep : Pass<"dl-generate-train-step", "mlir::ModuleOp"> {
  let summary = "Writes train_step and eval_step from the forward graph @model";
  let description = [{
    Replaces `func.func @model` (a forward graph over dl.input, dl.label and
    dl.param leaves, returning the softmax_ce loss and correct count) with:

    * `@train_step(params..., velocities..., images, labels, lr, weight_decay,
      momentum) -> (new params..., new velocities..., loss, correct)`: the
      forward graph, its reverse-mode gradient built from each op's
      DifferentiableOpInterface, and one SGD update per parameter. Velocity
      state exists only when the module's optimizer has momentum != 0.
    * `@eval_step(params..., images, labels, valid_rows) -> (loss_sum,
      correct)`, where rows at or beyond valid_rows count for nothing.

    Only values that depend on a parameter and reach the loss get a
    gradient; data inputs never do. Block arguments carry what the runtime
    needs to bind them: `dl.param` (name), `dl.init`, `dl.seed`,
    `dl.velocity`, `dl.input`, `dl.label` with `dl.classes`, and
    `dl.hyper` for the scalar operands.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def FormKernels : Pass<"dl-form-kernels", "mlir::ModuleOp"> {
  let summary = "Groups the ops of train_step/eval_step into fused kernels";
  let description = [{
    Partitions each step into fusion groups and outlines every group into a
    function of a nested `module @kernels`, replacing it with a `dl.launch`.
    Groups: dense/conv2d with the activation that consumes them; a matmul-
    or pooling-shaped gradient with the relu/sigmoid mask applied to it; a
    weight or bias gradient with the SGD update of its parameter; softmax_ce
    with its gradient (one row-wise kernel). flatten/reshape are views, not
    kernels; dl.constant is rematerialised in each kernel that uses it.

    Each kernel records `dl.origin` (the fused ops and their source
    locations) and `dl.result_aliases` (for each result, the input it
    overwrites in place, or -1: SGD updates write their parameter).

    With `fuse-loss-gradient` (the CUDA target's --gpu-fuse-loss-gradient),
    softmax_ce_grad joins the dense layer that computes its logits instead
    of its softmax_ce, and the input gradient of that layer (with its
    relu/sigmoid gradient) joins too: every op of that chain is row-local,
    so the kernel splits into row slices (one launch where the loss's
    gradient was three), while the loss and the correct count, sums over
    the batch, are a kernel of their own off the gradient's path. The ops
    between that use the chain's results (the loss, the weight and bias
    gradients of the logits) move after it.
  }];
  let options = [
    Option<"fuseLossGradient", "fuse-loss-gradient", "bool",
           /*default=*/"false",
           "Fuse softmax_ce_grad with the dense layer before it and the "
           "input gradient after it, leaving softmax_ce alone">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def LowerKernelsToLinalg : Pass<"dl-lower-kernels-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers the dl ops of each kernel to linalg on tensors, in destination-passing style";
  let description = [{
    Runs on the `kernels` module. Each kernel becomes
    `(inputs..., outputs..., scratch...) -> outputs` over tensors, built from
    linalg.generic/fill/broadcast, tensor and arith/math ops, with every
    result computed into a destination argument so that one-shot
    bufferization needs no allocation: elementwise epilogues update their
    producer's destination in place, SGD updates write into the parameter,
    and intermediates get scratch arguments that the memory planner places
    in the arena. Records `dl.num_inputs`, `dl.num_outputs` and
    `dl.scratch` (scratch tensor types) on the kernel.

    `cpu-forms` (the default; off for the CUDA target) chooses two forms
    made for the CPU's register-blocked vector code. A dense input gradient
    of at least 500k multiply-adds reads a transposed copy of the weight
    (scratch), so that dx's rows are contiguous in both operands. The input
    gradient of a stride-1 convolution is the gather form below. Without
    `cpu-forms` (the CUDA target) a convolution's input gradient is a
    product to columns, cols[n, c, kh, kw, oh, ow] = sum over f of
    dy[n, f, oh, ow] * w[f, c, kh, kw] (a scratch of N x C x KH x KW x OH x
    OW floats), then their scatter dx[n, c, oh + kh, ow + kw] += cols,
    which the GPU mapping gathers per output element. The gather form (the
    CPU's) pads dy
    by K-1-padding and correlates it with the flipped filter: dx[n, c, h, w]
    = sum over f, kh, kw of dy_padded[n, f, h + kh, w + kw] *
    w[f, c, K-1-kh, K-1-kw]: every output element's whole sum in one place,
    which register blocks can hold (at the price of multiplying the
    padding's zeros).
  }];
  let options = [
    Option<"cpuForms", "cpu-forms", "bool", /*default=*/"true",
           "Forms for the CPU's vector code: gather-form convolution input "
           "gradients, transposed weights for dense input gradients">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect",
                           "mlir::math::MathDialect"];
}

def DeduplicateKernels : Pass<"dl-deduplicate-kernels", "mlir::ModuleOp"> {
  let summary = "Merges kernels that compute the same thing (train and eval forward passes)";
  let description = [{
    Runs after dl-lower-kernels-to-linalg. eval_step's forward kernels are
    the same computations as train_step's; a kernel whose signature, body
    (locations aside) and dl.* contract (inputs, outputs, scratch, result
    aliases) equal an earlier kernel's is erased and its launches call the
    earlier one. Code generation then compiles each computation once.
  }];
}

def SortGlobals : Pass<"dl-sort-globals", "mlir::ModuleOp"> {
  let summary = "Puts the kernels module's memref.globals first, in name order";
  let description = [{
    One-shot bufferization turns each kernel's tensor constants into
    memref.globals in an order that varies from run to run (it walks the
    kernels in an order of its own), which made the IR dumps from
    `--emit=loops` on differ between identical compilations. Runs at the
    end of the bufferization pipeline; changes nothing else.
  }];
}

def DistributeWorkgroups : Pass<"dl-distribute-workgroups", "mlir::ModuleOp"> {
  let summary = "Splits each bufferized kernel into row slices for the runtime's threads";
  let description = [{
    Runs on the bufferized kernels module. Every kernel gains two trailing
    index arguments, the workgroup id and count of runtime/abi/KernelABI.h.
    When every linalg op of a kernel has a parallel outermost loop over the
    same extent N, writes only row d0 of its outputs, and reads buffers the
    kernel writes only at row d0, each op is rewritten onto the subviews of
    rows [id * N / count, (id + 1) * N / count): slices then write disjoint
    memory and may run concurrently. Buffers may be viewed through
    memref.expand_shape (dim 0 the outer factor of the buffer's dim 0, as in
    blocks of 16 images), whose row slices are runs of the buffer's rows.
    The kernel records `dl.workgroups` = N (1 when it cannot be split, e.g.
    a reduction to a scalar loss).

    With `threads` > 0 (the GPU), slices instead have a static number of
    rows R: the fewest rows dividing N whose parallel iterations fill that
    many threads `outputs-per-thread` times; slice id covers rows [id * R, (id + 1) * R) and
    `dl.workgroups` = N / R, which the launch must use as its count.

    With `phases` (the CPU), a kernel that cannot be split as a whole but
    whose ops fall into consecutive runs that can (a filter gradient that
    first pads its input: the copy runs over images, the gradient over
    filters) becomes one function per run, launched in order with the same
    buffers: the kernel itself holds the first run, `<kernel>_p<i>` (with
    `dl.phase_of`) the others, each split on its own.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"0",
           "Static slices sized to fill this many threads (0: dynamic "
           "slices for any count)">,
    Option<"outputsPerThread", "outputs-per-thread", "int64_t",
           /*default=*/"1",
           "With threads > 0: rows enough for this many parallel iterations "
           "per thread">,
    Option<"phases", "phases", "bool", /*default=*/"false",
           "Split a kernel that cannot be sliced as a whole (of at least "
           "phase-min-flops dl.flops) into phases that can">,
    Option<"phaseMinFlops", "phase-min-flops", "int64_t",
           /*default=*/"1000000",
           "With phases: smaller kernels stay whole (a launch costs more "
           "than they gain)">,
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect"];
}

def VectorizeStridedWindows : Pass<"dl-vectorize-strided-windows", "mlir::ModuleOp"> {
  let summary = "Vector code for pooling generics that read every other element";
  let description = [{
    Runs on bufferized kernels, after dl-vectorize-kernels. An all-parallel
    linalg.generic whose inputs are indexed along their last dim at `ow` or
    `2*ow + c`, and whose output at `ow` or at `2*ow + j` (j a loop of
    extent 2: the gradient of a pooling whose windows tile its input), and
    of which some input reads every other element, becomes scalar loops
    around chunks of 8 `ow`: contiguous loads, even lanes of a contiguous
    load for the strided operands, the body on vectors, and (for `2*ow + j`)
    the results for j = 0 and 1 interleaved into one store; the last chunk
    is masked. LLVM would use gathers and scatters.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::affine::AffineDialect"];
}

def ApproximateMath : Pass<"dl-approximate-math", "mlir::ModuleOp"> {
  let summary = "math.exp and math.log as MLIR's polynomial approximations";
  let description = [{
    Rewrites every math.exp and math.log (sigmoid, softmax) into MLIR's
    polynomial approximations (scalars or vectors). The CPU target runs it
    after its vector code generation: LLVM would call libm's scalar expf
    for every vector lane. dl-map-kernels-to-gpu applies the same rewrite
    to its GPU kernels.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

def CollapseContiguousLoops : Pass<"dl-collapse-contiguous-loops", "mlir::ModuleOp"> {
  let summary = "Merges loop dims that every operand walks contiguously";
  let description = [{
    Runs on bufferized kernels. In every linalg.generic other than those
    dl-vectorize-kernels tiles, neighbouring loop dims d, d+1 of one
    iterator type merge into one loop when every operand either ignores
    both or indexes them as neighbouring dims that are contiguous in its
    buffer (stride of d = extent x stride of d+1). An elementwise op over
    [N, C, H, W] then runs one loop of C*H*W per row instead of a loop of W,
    which LLVM would fully unroll and then vectorise along H with strided
    gathers. The operands become memref.collapse_shape views; generics that
    use linalg.index are left alone.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::linalg::LinalgDialect"];
}

def VectorizeTransposes : Pass<"dl-vectorize-transposes", "mlir::ModuleOp"> {
  let summary = "Rewrites transposing copies into 16x16 register transposes";
  let description = [{
    Runs on bufferized kernels, after dl-collapse-contiguous-loops. A
    linalg.generic that copies out[d...] = in[perm(d)...] (f32, unit-stride
    rows) where the output's contiguous dim X is not the input's Y (the
    channel- and batch-lanes convolution forms' copies to and from NCHW)
    becomes loops over the other dims around 16x16 tiles of X by Y: 16
    vector row loads along Y, one vector.transpose lowered to shuffles, 16
    vector row stores along X. Tiles at the end of X or Y are masked.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def VectorizeKernels : Pass<"dl-vectorize-kernels", "mlir::ModuleOp"> {
  let summary = "Rewrites the multiply-accumulate generics of bufferized kernels into register-tiled vector FMAs";
  let description = [{
    Runs on bufferized kernels, after dl-distribute-workgroups. Every
    linalg.generic computing `out += in0 * in1` (affine maps, at least one
    reduction loop: dense matmuls and the convolution generics) becomes
    scf.for loops around a block of R1 x R2 accumulators of W f32 lanes
    (1-D vectors, legal for any x86-64 vector width) that stay in registers
    across the reduction loops; the inputs are contiguous vector loads or
    scalar broadcasts. One short reduction dim may be unrolled inside the
    block, where its steps and the block's rows read the same values (a
    window's kh with the rows oh): each such value is loaded once. Row
    dims whose extent is not a multiple of the block (dynamic row slices)
    end with one-row blocks; a vector dim that is not a
    multiple of W ends with one masked vector. When only a reduction dim is
    contiguous (the filter gradient), lanes are partial sums added to the
    output after the reduction loops; when a block's inputs exceed the cache
    budget, the outermost reduction dim runs in cache-sized chunks. Where
    each block holds whole sums (parallel form, no chunks, no scatter-form
    output), the fill or broadcast (the bias) that sets the output before
    the contraction becomes the accumulators' initial values, and an
    elementwise op that then updates the output in place (relu, its
    gradient) runs on the accumulators before the store: two passes over
    the output fewer. On a generic with `dl.zero_padding = [input, pad]`
    (that input is zero outside [pad, size - pad) of dims 2 and 3), the
    reduction loops skip the steps whose products all read the padding.
    Other generics are left as they are. A kernel whose blocks cut the
    sliced dim of dl-distribute-workgroups gets `dl.workgroups` divided by
    the block, so that every slice holds whole blocks.
  }];
  let options = [
    Option<"budget", "budget", "int64_t", /*default=*/"16",
           "Accumulators per block, counted in vectors of 16 f32 lanes">,
    Option<"maxBlock", "max-block", "int64_t", /*default=*/"8",
           "Largest block along one row dim">,
    Option<"maxWidth", "max-width", "int64_t", /*default=*/"32",
           "Widest vector (f32 lanes) of a block">,
    Option<"cacheKiB", "cache-kib", "int64_t", /*default=*/"256",
           "Input bytes (KiB) one chunk of the reduction may stream">,
    Option<"minFlops", "min-flops", "int64_t", /*default=*/"1000000",
           "Kernels with fewer dl.flops are left scalar">,
    Option<"printPlans", "print-plans", "bool", /*default=*/"false",
           "Emit a remark with the tiling chosen for each generic">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def MapKernelsToGPU : Pass<"dl-map-kernels-to-gpu", "mlir::ModuleOp"> {
  let summary = "Turns each bufferized kernel into a gpu.func of gpu.module @dl_gpu";
  let description = [{
    Runs on the bufferized kernels module, after dl-distribute-workgroups.
    Each kernel becomes a `gpu.func` kernel taking its buffers and nothing
    else (split sums also reach the kernel's own workspace globals, so
    that launches of different kernels may run concurrently): a
    launch is `dl.workgroups` blocks, the row slices of
    dl-distribute-workgroups with the block id and grid size as slice id
    and count, of `block` threads (`dl.block`, also `known_block_size`).

    Inside a block each linalg op in turn spreads its parallel iterations
    over the threads (thread t takes t, t + block, ..., the innermost dim
    fastest so that neighbouring threads touch neighbouring addresses), runs
    its reduction dims as a loop per thread, and ends at a barrier, since the
    next op may read anything the slice wrote. A reduction combined by an add
    (`out += f(...)`) whose parallel iterations leave threads idle also
    splits its reduction across them: each thread adds its partial sum to
    the output atomically (a long one into a few outputs: whole warps per
    output, lanes on consecutive iterations, sums meeting by shuffles). An
    op whose every output element one thread stores folds in the
    elementwise op after it and the init before it; a fill followed by a
    copy into a window of it (padding) becomes one pass. A kernel too heavy for
    one block runs as phases, one gpu.func per op on a grid of its own;
    there a contraction of an M and an N group of dims is a tiled product
    (an implicit GEMM for convolutions), whose blocks sharing a tile (split
    K) leave partial tiles that the last of them adds in order, through
    the init and the epilogue (ordered-splits), or with row-products a
    skinny one runs a warp per output row; a warp reduction's blocks
    combine the same way, and so do those of a filter gradient summed with
    its window in registers. math.exp/log become polynomials
    (no libdevice; the few rounding helpers those use are defined after the
    NVVM conversion), and scalar loads of constant globals become constants.
    Last, stores to scratch no phase of a kernel reads are dropped and each
    gpu.func gets `dl.buffer_access`: per buffer argument, 1 read, 2
    written (the plan's per-launch `access`).
  }];
  let options = [
    Option<"blockSize", "block", "int64_t", /*default=*/"256",
           "Threads per block">,
    Option<"sequential", "sequential", "bool", /*default=*/"false",
           "Keep func.func kernels and run each op's thread loop as one "
           "sequential loop (thread 0, stride 1): the same iterations, index "
           "arithmetic and reduction splits on the CPU, so that the mapping "
           "can be checked against the reference executor without a GPU">,
    Option<"orderedSplits", "ordered-splits", "bool", /*default=*/"true",
           "Blocks sharing a tiled product's K range (or a phased warp "
           "reduction) store partial sums, and the last of them to finish "
           "adds them in a fixed order through the init and the elementwise "
           "op after it (one launch, the same sums whichever block finishes "
           "last); off, each adds its partial sums atomically, after an init "
           "launch and before an epilogue launch">,
    Option<"rowProducts", "row-products", "bool", /*default=*/"false",
           "A phased product (256-thread blocks) with at most 16 outputs "
           "per row over one K dim of 128 to 1024 contiguous in A (a "
           "classifier head) runs a warp per output row, lanes on "
           "interleaved k, sums meeting by shuffles, B staged whole in "
           "workgroup memory: one launch without splits, instead of a "
           "tiled product">,
    Option<"vectorStores", "vector-stores", "bool", /*default=*/"false",
           "A tiled product stores each thread's 4 columns of a row as one "
           "aligned vector (or two of 2) where they are consecutive "
           "elements of the output's last dim">,
    Option<"workgroupScratch", "workgroup-scratch", "bool",
           /*default=*/"false",
           "A kernel that runs as one block keeps its scratch (up to 16 KiB) "
           "in workgroup memory: its atomics and loads stay on the "
           "multiprocessor; the scratch buffers are left unused">,
  ];
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::scf::SCFDialect",
                           "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::affine::AffineDialect", "mlir::NVVM::NVVMDialect",
                           "mlir::vector::VectorDialect"];
}

def SimulateGPUOnCPU : Pass<"dl-simulate-gpu-on-cpu", "mlir::ModuleOp"> {
  let summary = "Turns the gpu.funcs of dl-map-kernels-to-gpu into CPU functions for a thread simulator (tests)";
  let description = [{
    Runs on the kernels module after dl-map-kernels-to-gpu. Each gpu.func
    becomes a func.func with the CPU kernels' signature (its buffers, then
    the workgroup id and count), its workgroup attributions as extra buffer
    arguments before those two, and `dl.simulated_block` (threads per
    block) and `dl.simulated_workgroup_bytes` for the ABI wrapper, which
    runs a call's block on the simulator of tests/unit/GPUSimulator.h: one
    fiber per thread, switching at barriers and shuffles. Inside, the block
    id and grid size are those two arguments, the block size a constant,
    and the thread id, `gpu.barrier` and `gpu.shuffle` calls to the
    simulator (`dlc_gpusim_*`); GPU address spaces are dropped, the
    gpu.module's globals move to the kernels module, grid dependency
    control goes and a memory barrier becomes a fence. So the kernels the
    GPU runs, barriers, workgroup memory and shuffles included, are checked
    against the reference executor on a machine without a GPU, where the
    sequential form (`sequential=true` of dl-map-kernels-to-gpu) checks
    only their iteration split.
  }];
  let options = [
    Option<"blockSize", "block", "int64_t", /*default=*/"256",
           "Threads per block of a gpu.func without dl.block">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::LLVM::LLVMDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect"];
}

#endif // DLC_DIALECT_DL_TRANSFORMS_PASSES_TD
