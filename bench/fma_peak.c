/* Measured single-precision FMA peak of this CPU, for bench/run.sh.
 *
 * Each thread runs NACC independent FMA chains on vector registers (AVX-512
 * when -march=native enables it, else AVX2+FMA, else SSE mul+add), enough to
 * hide the FMA latency on two ports. Prints one line:
 *   fma_peak threads T isa ISA gflops G
 * where G is the best of 10 repetitions (so other load only lowers it), counting
 * 2 FLOPs per FMA lane.
 *
 * Build: cc -O2 -march=native -fopenmp bench/fma_peak.c -o fma_peak
 * Usage: fma_peak [THREADS] [SECONDS_PER_REP]
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NACC 12

#if defined(__AVX512F__)
#define ISA "avx512"
typedef __m512 vec;
#define LANES 16
#define VSET1(x) _mm512_set1_ps(x)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define VADD(a, b) _mm512_add_ps(a, b)
#define VSUM(v) _mm512_reduce_add_ps(v)
#elif defined(__AVX2__) && defined(__FMA__)
#define ISA "avx2"
typedef __m256 vec;
#define LANES 8
#define VSET1(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VADD(a, b) _mm256_add_ps(a, b)
static float VSUM(__m256 v) {
  float t[8];
  _mm256_storeu_ps(t, v);
  return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}
#else
#define ISA "sse (mul+add)"
typedef __m128 vec;
#define LANES 4
#define VSET1(x) _mm_set1_ps(x)
#define VFMA(a, b, c) _mm_add_ps(_mm_mul_ps(a, b), c)
#define VADD(a, b) _mm_add_ps(a, b)
static float VSUM(__m128 v) {
  float t[4];
  _mm_storeu_ps(t, v);
  return t[0] + t[1] + t[2] + t[3];
}
#endif

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* ITERS iterations of NACC independent FMAs each, on named register
 * variables (an array would be spilled to the stack); returns a value so
 * nothing is elided. Without -ffast-math the compiler cannot fold the chains. */
#define FMA12(a, b)                                                            \
  c0 = VFMA(c0, a, b); c1 = VFMA(c1, a, b); c2 = VFMA(c2, a, b);               \
  c3 = VFMA(c3, a, b); c4 = VFMA(c4, a, b); c5 = VFMA(c5, a, b);               \
  c6 = VFMA(c6, a, b); c7 = VFMA(c7, a, b); c8 = VFMA(c8, a, b);               \
  c9 = VFMA(c9, a, b); c10 = VFMA(c10, a, b); c11 = VFMA(c11, a, b);
static float chains(long iters, float seed) {
  vec c0 = VSET1(seed), c1 = VSET1(seed + .01f), c2 = VSET1(seed + .02f),
      c3 = VSET1(seed + .03f), c4 = VSET1(seed + .04f), c5 = VSET1(seed + .05f),
      c6 = VSET1(seed + .06f), c7 = VSET1(seed + .07f), c8 = VSET1(seed + .08f),
      c9 = VSET1(seed + .09f), c10 = VSET1(seed + .10f), c11 = VSET1(seed + .11f);
  const vec a = VSET1(0.999999f), b = VSET1(1e-7f);
  for (long it = 0; it < iters; ++it) {
    FMA12(a, b)
  }
  vec s = VADD(VADD(VADD(c0, c1), VADD(c2, c3)), VADD(VADD(c4, c5), VADD(c6, c7)));
  s = VADD(s, VADD(VADD(c8, c9), VADD(c10, c11)));
  return VSUM(s);
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  double secs = argc > 2 ? atof(argv[2]) : 0.2;
  if (threads < 1) threads = 1;
  omp_set_num_threads(threads);

  /* Calibrate the iteration count on one thread to roughly SECS per rep. */
  long iters = 1 << 20;
  for (;;) {
    double t0 = now();
    volatile float sink = chains(iters, 1.0f);
    (void)sink;
    double dt = now() - t0;
    if (dt > secs / 4 || iters > (1L << 40)) {
      iters = (long)(iters * (secs / (dt > 1e-9 ? dt : 1e-9)));
      if (iters < 1) iters = 1;
      break;
    }
    iters *= 4;
  }

  double best = 0;
  volatile float sink = 0;
  for (int rep = 0; rep < 10; ++rep) {
    double t0 = 0, t1 = 0;
    float total = 0;
#pragma omp parallel reduction(+ : total)
    {
#pragma omp barrier
#pragma omp master
      t0 = now();
#pragma omp barrier
      total += chains(iters, 1.0f + omp_get_thread_num());
#pragma omp barrier
#pragma omp master
      t1 = now();
    }
    sink += total;
    double flops = 2.0 * LANES * NACC * (double)iters * threads;
    double g = flops / (t1 - t0) / 1e9;
    if (g > best) best = g;
  }
  (void)sink;
  printf("fma_peak threads %d isa %s gflops %.1f\n", threads, ISA, best);
  return 0;
}
