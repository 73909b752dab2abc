//===- AllocationCounter.h - heap allocations so far ------------*- C++ -*-===//
#ifndef DLC_TESTS_ALLOCATIONCOUNTER_H
#define DLC_TESTS_ALLOCATIONCOUNTER_H

namespace dlc::test {
/// operator new calls in this process so far (AllocationCounter.cpp).
long allocationCount();
} // namespace dlc::test

#endif // DLC_TESTS_ALLOCATIONCOUNTER_H
