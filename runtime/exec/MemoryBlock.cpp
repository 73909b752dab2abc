//===- MemoryBlock.cpp - the plan's single tensor allocation --------------===//

#include "exec/MemoryBlock.h"

#include <cstring>

namespace dlc {
namespace runtime {

bool MemoryBlock::allocate(size_t size, size_t alignment) {
  std::free(base);
  base = nullptr;
  bytes = 0;
  // aligned_alloc wants a multiple of the alignment.
  size_t rounded = (size + alignment - 1) / alignment * alignment;
  if (rounded < size)
    return false;
  void *p = std::aligned_alloc(alignment, rounded ? rounded : alignment);
  if (!p)
    return false;
  std::memset(p, 0, rounded);
  base = static_cast<uint8_t *>(p);
  bytes = size;
  return true;
}

} // namespace runtime
} // namespace dlc
