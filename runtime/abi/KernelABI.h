/*===- KernelABI.h - how dlrun calls compiled kernels -------------*- C -*-===*
 *
 * Shared by the compiler (which emits kernels with this signature) and the
 * runtime (which calls them). Plain C so either side can include it.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DLC_RUNTIME_ABI_KERNELABI_H
#define DLC_RUNTIME_ABI_KERNELABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every kernel of a plan's code object:
 *
 *   buffers   one pointer per bound tensor, in the order of the launch's
 *             bindings; each points into the plan's memory block at that
 *             tensor's offset (f32 or i32 elements, row-major, 64-byte
 *             aligned). Scalars (lr, valid_rows) are rank-0 tensors.
 *   wg_id     which slice of the kernel's work this call does, in
 *             [0, wg_count)
 *   wg_count  how many slices the work is split into; at most the kernel's
 *             `workgroups` in the plan. Slices write disjoint outputs, so
 *             they may run on different threads concurrently; a launch is
 *             complete when every slice has returned.
 */
typedef void (*dlc_kernel_fn)(void *const *buffers, int64_t wg_id,
                              int64_t wg_count);

/* CUDA plans. Every kernel of the plan's PTX/cubin module is an .entry
 * whose parameters are one .u64 device pointer per binding, in the order of
 * the launch's bindings, and nothing else: blockIdx.x plays wg_id and
 * gridDim.x wg_count. A launch is Kernel.workgroups blocks (grid x) of
 * Kernel.block threads (block x), with Kernel.shared_bytes of dynamic
 * shared memory.
 *
 * Two further kernels of every CUDA plan keep the data on the device
 * (Plan.gather_kernel, Plan.accumulate_kernel), with fixed parameters:
 *
 *   dl_gather_batch(const uint8_t *images,  // dataset pixels, count x F
 *                   const uint8_t *labels,  // dataset labels, count
 *                   const int32_t *order,   // example indices
 *                   const int32_t *cursor,  // [1]: first order[] entry
 *                   float *image,           // the plan's image tensor
 *                   int32_t *label)         // the plan's label tensor
 *     image[b*F + f] = images[order[*cursor + b]*F + f] / 255.0f and
 *     label[b] = labels[order[*cursor + b]] for b < batch, f < F.
 *
 *   dl_accumulate(const float *loss, const int32_t *correct,
 *                 double *loss_sum, int64_t *correct_sum, int32_t *cursor)
 *     one thread: *loss_sum += *loss; *correct_sum += *correct;
 *     *cursor += batch.
 *
 * so a train step replays as gather, the step's launches, accumulate, with
 * no host work in between.
 */
#define DLC_CUDA_GATHER_KERNEL "dl_gather_batch"
#define DLC_CUDA_ACCUMULATE_KERNEL "dl_accumulate"

/* Alignment of every tensor in the memory block, in bytes. */
#define DLC_TENSOR_ALIGNMENT 64

#ifdef __cplusplus
}
#endif

#endif /* DLC_RUNTIME_ABI_KERNELABI_H */
