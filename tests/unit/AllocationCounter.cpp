//===- AllocationCounter.cpp - counts the test binary's heap allocations --===//
//
// Replaces the global operator new/delete of RuntimeTest with malloc/free
// plus a counter, so that tests can check a code path allocates nothing.
// ThreadSanitizer defines them itself; there the counter is a malloc hook
// of the sanitizer's allocator instead, which sees operator new as well.
//
//===----------------------------------------------------------------------===//

#include "AllocationCounter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> allocations{0};
} // namespace

long dlc::test::allocationCount() {
  return allocations.load(std::memory_order_relaxed);
}

#if defined(__SANITIZE_THREAD__)
#define DLC_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DLC_THREAD_SANITIZER 1
#endif
#endif

#ifdef DLC_THREAD_SANITIZER
#include <sanitizer/allocator_interface.h>

namespace {
void onMalloc(const volatile void *, std::size_t) {
  allocations.fetch_add(1, std::memory_order_relaxed);
}
void onFree(const volatile void *) {}
const int hooksInstalled =
    __sanitizer_install_malloc_and_free_hooks(onMalloc, onFree);
} // namespace
#else
namespace {
void *allocate(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
} // namespace

void *operator new(std::size_t size) { return allocate(size); }
void *operator new[](std::size_t size) { return allocate(size); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
#endif
