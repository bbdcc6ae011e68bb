// Binds a generated edge_model.h to the core. Include it exactly once per program, in the one
// translation unit that includes edge_model.h (the sketch, the host addon, the cost harness):
//
//   #include "edge_model.h"
//   #include <BindEdgeModel.h>
//
// It defines wand::kEdgeModel (the spec), wand::kEdgeWorkspace (the inference arena sized at compile
// time) and wand::bound::payload (a request body buffer for the largest capture, for a CloudExchange).
#pragma once

#ifndef WAND_EDGE_NUM_LAYERS
#error "include the generated edge_model.h before BindEdgeModel.h"
#endif

// Headers written before the edge input had an RMS step do not define it.
#ifndef WAND_RMS_NORMALIZE
#define WAND_RMS_NORMALIZE 0
#endif

#include "Capture.h"
#include "EdgeClassifier.h"
#include "Payload.h"

static_assert(WAND_NUM_CLASSES >= 2 && WAND_NUM_CLASSES <= wand::kMaxClasses, "edge_model.h: unsupported class count");
static_assert(WAND_WINDOW_LENGTH / WAND_POOL_FACTOR == WAND_EDGE_STEPS, "edge_model.h: steps must be window / pool factor");
static_assert(WAND_EDGE_STEPS * 3 <= WAND_EDGE_MAX_ACTIVATIONS, "edge_model.h: max activations below the input size");
static_assert(sizeof(WAND_LABELS) / sizeof(WAND_LABELS[0]) == WAND_NUM_CLASSES, "edge_model.h: label count");
static_assert(sizeof(WAND_EDGE_WEIGHTS) / sizeof(float) == WAND_EDGE_NUM_WEIGHTS, "edge_model.h: weight count");
static_assert(WAND_OFFLOAD_THRESHOLD >= 0.0f && WAND_OFFLOAD_THRESHOLD <= 1.0f, "edge_model.h: threshold outside 0..1");

namespace wand {

const ModelSpec kEdgeModel = {
    WAND_MODEL_NAME,
    WAND_MODEL_VERSION,
    WAND_LABELS,
    WAND_NUM_CLASSES,
    WAND_WINDOW_LENGTH,
    WAND_POOL_FACTOR,
    WAND_EDGE_STEPS,
    WAND_GRAVITY_ALIGN != 0,
    WAND_RMS_NORMALIZE != 0,
    WAND_OFFLOAD_THRESHOLD,
    {WAND_EDGE_LAYERS, WAND_EDGE_NUM_LAYERS, WAND_EDGE_WEIGHTS, WAND_EDGE_NUM_WEIGHTS},
    WAND_EDGE_MAX_ACTIVATIONS,
};

namespace bound {
constexpr size_t kInferenceFloats = WAND_WINDOW_LENGTH * 3 + 2 * WAND_EDGE_MAX_ACTIVATIONS;
/** The largest body the wand can send: a full capture (checked here, at compile time). */
constexpr size_t kPayloadBytes = payloadCapacity(kCaptureSamples);
/** The window and activations during inference. */
float arena[kInferenceFloats];
/** The request body: the CloudExchange's, apart from the arena, because a request may outlive its gesture. */
char payload[kPayloadBytes];
}  // namespace bound

const Workspace kEdgeWorkspace = {
    bound::arena,
    bound::arena + WAND_WINDOW_LENGTH * 3,
    bound::arena + WAND_WINDOW_LENGTH * 3 + WAND_EDGE_MAX_ACTIVATIONS,
};

}  // namespace wand
