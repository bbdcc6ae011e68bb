// The edge model's preprocessing, step for step as gesture/src (window.ts resample, preprocess.ts
// gravityAlign and averagePool, energy.ts rmsNormalize). Buffers are the caller's; nothing is allocated.
#pragma once

#include <stddef.h>

namespace wand {

/** Magnitude (m/s^2) below which a window has no usable gravity direction (preprocess.ts MIN_GRAVITY). */
constexpr float kMinGravity = 1e-3f;
/** Magnitude used in place of an unusable one (preprocess.ts STANDARD_GRAVITY). */
constexpr float kStandardGravity = 9.80665f;
/** Floor for the RMS, so a window without motion stays finite (energy.ts MIN_RMS). */
constexpr float kMinRms = 1e-3f;

/**
 * Linear interpolation of `count` interleaved x,y,z samples onto `length` samples, both ends kept.
 * Positions are computed with integer arithmetic, so no rounding moves a sample. Returns false
 * (and writes nothing) when count or length is 0.
 */
bool resample(const float *samples, size_t count, float *out, size_t length);

/**
 * In place: rotate the window so its mean acceleration points along +z, subtract gravity and
 * divide by its magnitude (Rodrigues rotation, as preprocess.ts gravityAlign).
 */
void gravityAlign(float *window, size_t length);

/** Mean of non-overlapping blocks of `factor` samples per axis; returns the number of output samples. May run in place. */
size_t averagePool(const float *window, size_t length, size_t factor, float *out);

/**
 * How much the wand moved during a window of `length` interleaved samples: the root-mean-square
 * distance of each sample from the window's mean acceleration, in units of that mean's magnitude
 * (so in g, whatever the board's scale; kStandardGravity when the mean is unusable). A wand held
 * still reads the sensor's noise (~0.005 g); real strokes read 0.1 g and more.
 */
float motionRms(const float *window, size_t length);

/** In place: divide all `count` values by their root-mean-square, floored at kMinRms (energy.ts rmsNormalize). */
void rmsNormalize(float *values, size_t count);

}  // namespace wand
