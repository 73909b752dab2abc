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

/* Alignment of every tensor in the memory block, in bytes. */
#define DLC_TENSOR_ALIGNMENT 64

#ifdef __cplusplus
}
#endif

#endif /* DLC_RUNTIME_ABI_KERNELABI_H */
