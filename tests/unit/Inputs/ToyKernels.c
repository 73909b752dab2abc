/*===- ToyKernels.c - hand-written kernels of a toy plan ------------------===*
 *
 * Softmax regression (one dense layer + softmax cross-entropy + SGD with
 * weight decay and momentum) written by hand with the KernelABI signature,
 * so the runtime can be tested without the compiler. Sizes are baked in at
 * build time like the compiler's kernels: TOY_DIM inputs, TOY_CLASSES
 * classes, TOY_BATCH rows. Slices split rows (or parameter rows) by
 * wg_id / wg_count and write disjoint outputs; reductions run as a single
 * slice, so results do not depend on the thread count.
 *
 *===----------------------------------------------------------------------===*/

#include "abi/KernelABI.h"

#include <math.h>

#define D TOY_DIM
#define C TOY_CLASSES
#define B TOY_BATCH

#define EXPORT __attribute__((visibility("default")))

static void sliceRange(int64_t n, int64_t id, int64_t count, int64_t *begin,
                       int64_t *end) {
  *begin = n * id / count;
  *end = n * (id + 1) / count;
}

/* (image[B, D], W[D, C], b[C]) -> logits[B, C] */
EXPORT void toy_logits(void *const *buf, int64_t id, int64_t count) {
  const float *x = buf[0], *w = buf[1], *bias = buf[2];
  float *logits = buf[3];
  int64_t r0, r1;
  sliceRange(B, id, count, &r0, &r1);
  for (int64_t r = r0; r < r1; ++r)
    for (int c = 0; c < C; ++c) {
      float acc = bias[c];
      for (int d = 0; d < D; ++d)
        acc += x[r * D + d] * w[d * C + c];
      logits[r * C + c] = acc;
    }
}

/* A row of logits: its first maximum (returned), the maximum and the sum of
 * exp(z - max). */
static int rowStats(const float *z, float *max, float *sum) {
  int best = 0;
  *max = z[0];
  for (int c = 1; c < C; ++c)
    if (z[c] > *max) {
      *max = z[c];
      best = c;
    }
  *sum = 0.0f;
  for (int c = 0; c < C; ++c)
    *sum += expf(z[c] - *max);
  return best;
}

/* Per-row loss, correctness and d(mean loss)/d(logits).
 * (logits[B, C], label[B]) -> dlogits[B, C], rowloss[B], rowcorrect[B] */
EXPORT void toy_softmax_ce_grad(void *const *buf, int64_t id, int64_t count) {
  const float *logits = buf[0];
  const int32_t *label = buf[1];
  float *dlogits = buf[2], *rowloss = buf[3];
  int32_t *rowcorrect = buf[4];
  int64_t r0, r1;
  sliceRange(B, id, count, &r0, &r1);
  for (int64_t r = r0; r < r1; ++r) {
    const float *z = logits + r * C;
    float max, sum;
    int best = rowStats(z, &max, &sum);
    for (int c = 0; c < C; ++c) {
      float p = expf(z[c] - max) / sum;
      dlogits[r * C + c] = (p - (c == label[r] ? 1.0f : 0.0f)) / B;
    }
    rowloss[r] = logf(sum) + max - z[label[r]];
    rowcorrect[r] = best == label[r];
  }
}

/* (rowloss[B], rowcorrect[B]) -> train_loss (mean), train_correct */
EXPORT void toy_reduce_train(void *const *buf, int64_t id, int64_t count) {
  const float *rowloss = buf[0];
  const int32_t *rowcorrect = buf[1];
  float loss = 0.0f;
  int32_t correct = 0;
  for (int r = 0; r < B; ++r) {
    loss += rowloss[r];
    correct += rowcorrect[r];
  }
  *(float *)buf[2] = loss / B;
  *(int32_t *)buf[3] = correct;
}

/* (image[B, D], dlogits[B, C]) -> dW[D, C], db[C]; slices split D. */
EXPORT void toy_grad(void *const *buf, int64_t id, int64_t count) {
  const float *x = buf[0], *dz = buf[1];
  float *dw = buf[2], *db = buf[3];
  int64_t d0, d1;
  sliceRange(D, id, count, &d0, &d1);
  for (int64_t d = d0; d < d1; ++d)
    for (int c = 0; c < C; ++c) {
      float acc = 0.0f;
      for (int r = 0; r < B; ++r)
        acc += x[r * D + d] * dz[r * C + c];
      dw[d * C + c] = acc;
    }
  if (id == 0)
    for (int c = 0; c < C; ++c) {
      float acc = 0.0f;
      for (int r = 0; r < B; ++r)
        acc += dz[r * C + c];
      db[c] = acc;
    }
}

/* SGD: v = momentum * v + (g + wd * p); p -= lr * v. */
static void sgd(void *const *buf, int64_t n, int64_t id, int64_t count) {
  float *p = buf[0], *v = buf[2];
  const float *g = buf[1];
  float lr = *(const float *)buf[3], wd = *(const float *)buf[4],
        momentum = *(const float *)buf[5];
  int64_t i0, i1;
  sliceRange(n, id, count, &i0, &i1);
  for (int64_t i = i0; i < i1; ++i) {
    v[i] = momentum * v[i] + (g[i] + wd * p[i]);
    p[i] -= lr * v[i];
  }
}

/* (W, dW, vW, lr, wd, momentum) */
EXPORT void toy_sgd_w(void *const *buf, int64_t id, int64_t count) {
  sgd(buf, (int64_t)D * C, id, count);
}

/* (b, db, vb, lr, wd, momentum) */
EXPORT void toy_sgd_b(void *const *buf, int64_t id, int64_t count) {
  sgd(buf, C, id, count);
}

/* (logits[B, C], label[B], valid_rows) -> eval_loss (sum), eval_correct */
EXPORT void toy_eval(void *const *buf, int64_t id, int64_t count) {
  const float *logits = buf[0];
  const int32_t *label = buf[1];
  int32_t valid = *(const int32_t *)buf[2];
  float loss = 0.0f;
  int32_t correct = 0;
  for (int r = 0; r < valid && r < B; ++r) {
    const float *z = logits + r * C;
    float max, sum;
    int best = rowStats(z, &max, &sum);
    loss += logf(sum) + max - z[label[r]];
    correct += best == label[r];
  }
  *(float *)buf[3] = loss;
  *(int32_t *)buf[4] = correct;
}

/* The data kernels of CUDA plans (KernelABI.h), with the same arithmetic as
 * the runtime's host gather, for the fake CUDA driver of the tests, which
 * runs each block of a launch as a slice of these CPU kernels.
 *
 * (images u8[n, D], labels u8[n], order i32, cursor i32[1]) ->
 * image[B, D], label[B] */
EXPORT void dl_gather_batch(void *const *buf, int64_t id, int64_t count) {
  const uint8_t *images = buf[0], *labels = buf[1];
  const int32_t *order = buf[2], *cursor = buf[3];
  float *image = buf[4];
  int32_t *label = buf[5];
  int64_t r0, r1;
  sliceRange(B, id, count, &r0, &r1);
  for (int64_t r = r0; r < r1; ++r) {
    int64_t example = order[*cursor + r];
    for (int d = 0; d < D; ++d)
      image[r * D + d] = images[example * D + d] / 255.0f;
    label[r] = labels[example];
  }
}

/* (loss f32, correct i32, loss_sum f64, correct_sum i64, cursor i32):
 * one thread adds the step's metrics and moves the cursor a batch on. */
EXPORT void dl_accumulate(void *const *buf, int64_t id, int64_t count) {
  if (id != 0)
    return;
  *(double *)buf[2] += *(const float *)buf[0];
  *(int64_t *)buf[3] += *(const int32_t *)buf[1];
  *(int32_t *)buf[4] += B;
}
