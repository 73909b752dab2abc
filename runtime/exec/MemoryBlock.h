//===- MemoryBlock.h - the plan's single tensor allocation ------*- C++ -*-===//
//
// Every tensor of a plan lives at a fixed offset in one block: parameters,
// velocities, data and hyper-parameter slots, and the arena whose buffers
// overlap. One 64-byte aligned, zeroed allocation; no allocation after it.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_RUNTIME_EXEC_MEMORYBLOCK_H
#define DLC_RUNTIME_EXEC_MEMORYBLOCK_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace dlc {
namespace runtime {

class MemoryBlock {
public:
  MemoryBlock() = default;
  ~MemoryBlock() { std::free(base); }
  MemoryBlock(const MemoryBlock &) = delete;
  MemoryBlock &operator=(const MemoryBlock &) = delete;

  /// Allocates `size` zeroed bytes aligned to `alignment` (a power of two).
  /// Returns false if the allocation fails.
  bool allocate(size_t size, size_t alignment);

  uint8_t *data() const { return base; }
  size_t size() const { return bytes; }

private:
  uint8_t *base = nullptr;
  size_t bytes = 0;
};

} // namespace runtime
} // namespace dlc

#endif // DLC_RUNTIME_EXEC_MEMORYBLOCK_H
