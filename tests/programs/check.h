// check.h — the error check the runtime-API test programs share.
//
// CHECK(call) (alias CK) wraps a CUDA runtime call that must succeed. On failure it prints one
// FAIL line on stdout (stdout is what tests/programs.rs compares with the H100's golden output,
// so a failure can never pass) and the details on stderr, then exits with status 2.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#define CHECK(call)                                                                       \
  do {                                                                                    \
    cudaError_t check_err_ = (call);                                                      \
    if (check_err_ != cudaSuccess) {                                                      \
      fprintf(stderr, "CUDA error at %s:%d: %s -> %s (%s)\n", __FILE__, __LINE__, #call,  \
              cudaGetErrorName(check_err_), cudaGetErrorString(check_err_));              \
      printf("FAIL %s at line %d -> %s\n", #call, __LINE__, cudaGetErrorName(check_err_)); \
      exit(2);                                                                            \
    }                                                                                     \
  } while (0)

#define CK(call) CHECK(call)
