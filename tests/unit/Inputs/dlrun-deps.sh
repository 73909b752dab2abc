#!/bin/sh
# Fails if the dlrun binary ($1) depends, directly or not, on LLVM, MLIR or
# Python: the runtime must run on machines without the compiler.
deps=$(ldd "$1") || { echo "ldd failed on $1"; exit 1; }
echo "$deps"
if echo "$deps" | grep -Eiq 'libLLVM|libMLIR|libpython'; then
  echo "error: $1 links LLVM, MLIR or Python"
  exit 1
fi
if readelf -d "$1" | grep -Eiq 'NEEDED.*(LLVM|MLIR|python)'; then
  echo "error: $1 has an LLVM, MLIR or Python NEEDED entry"
  exit 1
fi
exit 0
