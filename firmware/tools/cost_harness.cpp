// Cost harness for `npm run firmware:report`: classifies windows read from a file so callgrind can
// count the instructions of features + inference per gesture, and prints the core's static sizes.
// Input file: repeated [uint32 sample count][count * 3 float32 samples].
// Modes: `s` static sizes; `c <file>` classify every capture; `f <file>` features only; `p <file>` payload
// bytes per capture.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_model.h"
#include "BindEdgeModel.h"
#include "WandCore.h"

namespace {

wand::Capture capture;
wand::EdgeClassifier classifier(wand::kEdgeModel, wand::kEdgeWorkspace);

bool readCapture(FILE *in) {
  uint32_t count = 0;
  if (fread(&count, sizeof count, 1, in) != 1) return false;
  capture.clear();
  for (uint32_t i = 0; i < count; ++i) {
    float s[3];
    if (fread(s, sizeof(float), 3, in) != 3) return false;
    capture.push(s[0], s[1], s[2]);
  }
  return true;
}

/** Kept out of line so callgrind can collect exactly this function. */
__attribute__((noinline)) int classifyGesture() {
  wand::Prediction p;
  return classifier.classify(capture.samples(), capture.count(), p) ? p.label : -1;
}

/** Features only, to split the cost between preprocessing and the network. */
__attribute__((noinline)) int featuresOfGesture() {
  const float *f = classifier.features(capture.samples(), capture.count());
  return f != nullptr && f[0] > 0.0f ? 1 : 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc == 2 && argv[1][0] == 's') {
    // Static sizes, as "name bytes" lines.
    printf("model_weights %zu\n", sizeof(WAND_EDGE_WEIGHTS));
    printf("model_layers %zu\n", sizeof(WAND_EDGE_LAYERS));
    size_t labels = sizeof(WAND_LABELS);
    for (size_t i = 0; i < WAND_NUM_CLASSES; ++i) labels += strlen(WAND_LABELS[i]) + 1;
    printf("model_labels %zu\n", labels);
    printf("arena %zu\n", sizeof(wand::bound::arena));
    printf("exchange %zu\n", sizeof(wand::CloudExchange));
    printf("inference_buffers %zu\n", wand::bound::kInferenceFloats * sizeof(float));
    printf("payload_buffer %zu\n", wand::bound::kPayloadBytes);
    printf("capture %zu\n", sizeof(wand::Capture));
    printf("classifier %zu\n", sizeof(wand::EdgeClassifier));
    printf("policy %zu\n", sizeof(wand::OffloadPolicy));
    printf("flow %zu\n", sizeof(wand::GestureFlow));
    printf("response_buffer %zu\n", wand::kResponseBufferBytes);
    printf("multiply_adds %u\n", wand::networkMultiplyAdds(wand::kEdgeModel.network));
    return 0;
  }
  const char mode = argc == 3 ? argv[1][0] : '?';
  if (mode != 'c' && mode != 'f' && mode != 'p') {
    fprintf(stderr, "usage: cost_harness s | c|f|p <captures.bin>\n");
    return 2;
  }
  if (const char *why = classifier.begin()) {
    fprintf(stderr, "model unusable: %s\n", why);
    return 1;
  }
  FILE *in = fopen(argv[2], "rb");
  if (in == nullptr) return 1;
  int gestures = 0, checksum = 0;
  while (readCapture(in)) {
    if (mode == 'p') {
      printf("payload %zu\n", wand::writePayload(capture.samples(), capture.count(), wand::bound::payload, sizeof wand::bound::payload));
    } else {
      checksum += mode == 'c' ? classifyGesture() : featuresOfGesture();
    }
    ++gestures;
  }
  fclose(in);
  printf("gestures %d checksum %d\n", gestures, checksum);
  return 0;
}
