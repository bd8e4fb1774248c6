// driver_case.h — how the driver-API behaviour programs (api_behaviour.cu, driver_newer.cu) print
// a case: its name and the CUresult's name (or more), one line each, flushed (a case that crashes
// the process still leaves the lines before it); setup calls that must succeed go through CK.
#pragma once
#include <cstdarg>
#include <cstdio>
#include <string>
#include <cuda.h>

static const char* N(CUresult r) {
  const char* s = nullptr;
  if (cuGetErrorName(r, &s) != CUDA_SUCCESS || !s) return "UNKNOWN_CURESULT";
  return s;
}
static void line(const char* name, const std::string& result) {
  printf("%s: %s\n", name, result.c_str());
  fflush(stdout);
}
static void res(const char* name, CUresult r) { line(name, N(r)); }
static std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
static std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

// Setup calls that must succeed: otherwise the run is broken, not a case result.
static int g_setup_failures = 0;
#define CK(call)                                                                        \
  do {                                                                                  \
    CUresult r_ = (call);                                                               \
    if (r_ != CUDA_SUCCESS) {                                                           \
      printf("FAIL setup %s at line %d -> %s\n", #call, __LINE__, N(r_));               \
      fflush(stdout);                                                                   \
      ++g_setup_failures;                                                               \
    }                                                                                   \
  } while (0)
