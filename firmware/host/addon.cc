// Host build of the wand core: exposes the portable C++ to JavaScript so Jest and the device
// simulator drive the very code the ESP32 runs. Only this file knows about Node; heap use here is
// the host's business (the core itself allocates nothing).
#include <napi.h>

#include <string>
#include <vector>

#include "edge_model.h"
#include "BindEdgeModel.h"
#include "WandCore.h"

namespace {

using wand::kEdgeModel;

wand::EdgeClassifier &classifier() {
  static wand::EdgeClassifier instance(kEdgeModel, wand::kEdgeWorkspace);
  return instance;
}

/** Why the bound model cannot run, or nullptr; checked once. */
const char *modelError() {
  static const char *error = classifier().begin();
  return error;
}

std::vector<float> toFloats(const Napi::Value &value, const char *what) {
  Napi::Env env = value.Env();
  std::vector<float> out;
  if (value.IsTypedArray()) {
    Napi::TypedArray typed = value.As<Napi::TypedArray>();
    if (typed.TypedArrayType() == napi_float64_array) {
      Napi::Float64Array a = value.As<Napi::Float64Array>();
      out.assign(a.Data(), a.Data() + a.ElementLength());
      return out;
    }
    if (typed.TypedArrayType() == napi_float32_array) {
      Napi::Float32Array a = value.As<Napi::Float32Array>();
      out.assign(a.Data(), a.Data() + a.ElementLength());
      return out;
    }
  } else if (value.IsArray()) {
    Napi::Array a = value.As<Napi::Array>();
    out.reserve(a.Length());
    for (uint32_t i = 0; i < a.Length(); ++i) {
      Napi::Value v = a.Get(i);
      if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + " must hold numbers only");
      out.push_back(v.As<Napi::Number>().FloatValue());
    }
    return out;
  }
  throw Napi::TypeError::New(env, std::string(what) + " must be a Float64Array, Float32Array or number[]");
}

/** Interleaved x,y,z samples: a whole number of triples. */
std::vector<float> toSamples(const Napi::Value &value) {
  std::vector<float> samples = toFloats(value, "samples");
  if (samples.size() % 3 != 0) throw Napi::RangeError::New(value.Env(), "samples must be whole x,y,z triples");
  return samples;
}

Napi::Float32Array floatArray(Napi::Env env, const float *data, size_t n) {
  Napi::Float32Array out = Napi::Float32Array::New(env, n);
  for (size_t i = 0; i < n; ++i) out[i] = data[i];
  return out;
}

void requireModel(Napi::Env env) {
  if (const char *why = modelError()) throw Napi::Error::New(env, std::string("edge model unusable: ") + why);
}

double numberOption(const Napi::Object &options, const char *key, double fallback) {
  Napi::Value v = options.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw Napi::TypeError::New(options.Env(), std::string(key) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

wand::PolicySettings policySettings(const Napi::Value &value) {
  wand::PolicySettings s{};
  s.threshold = kEdgeModel.offloadThreshold;
  if (!value.IsObject()) return s;
  Napi::Object o = value.As<Napi::Object>();
  s.threshold = static_cast<float>(numberOption(o, "threshold", s.threshold));
  s.breakerFailures = static_cast<uint8_t>(numberOption(o, "breakerFailures", s.breakerFailures));
  s.baseCooldownMs = static_cast<uint32_t>(numberOption(o, "baseCooldownMs", s.baseCooldownMs));
  s.maxCooldownMs = static_cast<uint32_t>(numberOption(o, "maxCooldownMs", s.maxCooldownMs));
  s.budgetPerMinute = static_cast<uint16_t>(numberOption(o, "budgetPerMinute", s.budgetPerMinute));
  return s;
}

uint32_t timeArg(const Napi::CallbackInfo &info, size_t i) { return info[i].As<Napi::Number>().Uint32Value(); }

// ---- pure functions -------------------------------------------------------------------------

Napi::Value Resample(const Napi::CallbackInfo &info) {
  std::vector<float> samples = toSamples(info[0]);
  const size_t length = info[1].As<Napi::Number>().Uint32Value();
  std::vector<float> out(length * 3);
  if (!wand::resample(samples.data(), samples.size() / 3, out.data(), length)) {
    throw Napi::RangeError::New(info.Env(), "resample needs at least one sample and a positive length");
  }
  return floatArray(info.Env(), out.data(), out.size());
}

Napi::Value GravityAlign(const Napi::CallbackInfo &info) {
  std::vector<float> window = toSamples(info[0]);
  wand::gravityAlign(window.data(), window.size() / 3);
  return floatArray(info.Env(), window.data(), window.size());
}

Napi::Value AveragePool(const Napi::CallbackInfo &info) {
  std::vector<float> window = toSamples(info[0]);
  const size_t factor = info[1].As<Napi::Number>().Uint32Value();
  const size_t steps = wand::averagePool(window.data(), window.size() / 3, factor, window.data());
  return floatArray(info.Env(), window.data(), steps * 3);
}

Napi::Value RmsNormalize(const Napi::CallbackInfo &info) {
  std::vector<float> values = toFloats(info[0], "values");
  wand::rmsNormalize(values.data(), values.size());
  return floatArray(info.Env(), values.data(), values.size());
}

Napi::Value Features(const Napi::CallbackInfo &info) {
  requireModel(info.Env());
  std::vector<float> samples = toSamples(info[0]);
  const float *features = classifier().features(samples.data(), samples.size() / 3);
  if (features == nullptr) throw Napi::RangeError::New(info.Env(), "no samples");
  return floatArray(info.Env(), features, kEdgeModel.edgeSteps * 3);
}

Napi::Object PredictionObject(Napi::Env env, const wand::Prediction &p) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("label", p.label);
  out.Set("confidence", p.confidence);
  out.Set("probabilities", floatArray(env, p.probabilities, kEdgeModel.numClasses));
  out.Set("motion", p.motion);
  return out;
}

Napi::Value Classify(const Napi::CallbackInfo &info) {
  requireModel(info.Env());
  std::vector<float> samples = toSamples(info[0]);
  wand::Prediction p;
  if (!classifier().classify(samples.data(), samples.size() / 3, p)) throw Napi::RangeError::New(info.Env(), "no samples");
  return PredictionObject(info.Env(), p);
}

/** runNetwork(layers: Int32Array (rows of 10), weights: Float32Array, input, outputSize, maxActivations) -> logits. */
Napi::Value RunNetwork(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Int32Array layers = info[0].As<Napi::Int32Array>();
  std::vector<float> weights = toFloats(info[1], "weights");
  std::vector<float> input = toFloats(info[2], "input");
  const size_t outputSize = info[3].As<Napi::Number>().Uint32Value();
  const size_t maxActivations = info[4].As<Napi::Number>().Uint32Value();
  if (layers.ElementLength() % wand::kLayerColumns != 0) throw Napi::RangeError::New(env, "layers must be rows of 10");
  std::vector<int32_t> rows(layers.Data(), layers.Data() + layers.ElementLength());
  const wand::NetworkSpec net{reinterpret_cast<const int32_t(*)[wand::kLayerColumns]>(rows.data()),
                              rows.size() / wand::kLayerColumns, weights.data(), weights.size()};
  if (const char *why = wand::validateNetwork(net, input.size(), outputSize, maxActivations)) throw Napi::Error::New(env, why);
  std::vector<float> a(maxActivations), b(maxActivations), logits(outputSize);
  wand::runNetwork(net, input.data(), a.data(), b.data(), logits.data());
  return floatArray(env, logits.data(), logits.size());
}

Napi::Value Softmax(const Napi::CallbackInfo &info) {
  std::vector<float> values = toFloats(info[0], "values");
  wand::softmax(values.data(), values.size());
  return floatArray(info.Env(), values.data(), values.size());
}

/** writePayload(samples, capacityBytes?) -> body string, or null when it does not fit / is not finite. */
Napi::Value WritePayload(const Napi::CallbackInfo &info) {
  std::vector<float> samples = toSamples(info[0]);
  const size_t count = samples.size() / 3;
  const size_t capacity = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : wand::payloadCapacity(count);
  std::vector<char> buffer(capacity + 1);
  const size_t n = wand::writePayload(samples.data(), count, buffer.data(), capacity);
  if (n == 0) return info.Env().Null();
  return Napi::String::New(info.Env(), buffer.data(), n);
}

Napi::Value PayloadCapacity(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), static_cast<double>(wand::payloadCapacity(info[0].As<Napi::Number>().Uint32Value())));
}

/** readResponse(body: string | Buffer) -> {error: string | null, label, confidence}; labels are the model's. */
Napi::Value ReadResponse(const Napi::CallbackInfo &info) {
  std::string body;
  if (info[0].IsBuffer()) {
    Napi::Buffer<char> b = info[0].As<Napi::Buffer<char>>();
    body.assign(b.Data(), b.Length());
  } else {
    body = info[0].As<Napi::String>().Utf8Value();
  }
  wand::CloudAnswer answer;
  const wand::ResponseError error = wand::readResponse(body.data(), body.size(), kEdgeModel.labels, kEdgeModel.numClasses, answer);
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("error", error == wand::ResponseError::None ? info.Env().Null() : Napi::String::New(info.Env(), wand::responseErrorName(error)));
  out.Set("label", answer.label);
  out.Set("confidence", answer.confidence);
  return out;
}

Napi::Value MotionRms(const Napi::CallbackInfo &info) {
  std::vector<float> samples = toSamples(info[0]);
  return Napi::Number::New(info.Env(), wand::motionRms(samples.data(), samples.size() / 3));
}

/** worthRetry(failure: transport name, reusedConnection, remainingMs, freshAttemptMs) -> boolean */
Napi::Value WorthRetry(const Napi::CallbackInfo &info) {
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  wand::Transport failure = wand::Transport::Other;
  for (uint8_t t = 0; t <= static_cast<uint8_t>(wand::Transport::Other); ++t) {
    if (name == wand::transportName(static_cast<wand::Transport>(t))) failure = static_cast<wand::Transport>(t);
  }
  return Napi::Boolean::New(info.Env(), wand::worthRetry(failure, info[1].ToBoolean(), timeArg(info, 2), timeArg(info, 3)));
}

/** parseCommand(line) -> {kind: 'none' | 'gesture' | 'record' | 'invalid', label?, error?} */
Napi::Value ParseCommand(const Napi::CallbackInfo &info) {
  const std::string line = info[0].As<Napi::String>().Utf8Value();
  const wand::Command c = wand::parseCommand(line.data(), line.size());
  Napi::Object out = Napi::Object::New(info.Env());
  const char *kinds[] = {"none", "gesture", "record", "invalid"};
  out.Set("kind", kinds[static_cast<int>(c.kind)]);
  if (c.kind == wand::Command::Kind::Record) out.Set("label", c.label);
  if (c.error != nullptr) out.Set("error", c.error);
  return out;
}

/** parseServerUrl(url) -> {https, host, port, path} or {error} */
Napi::Value ParseServerUrl(const Napi::CallbackInfo &info) {
  const std::string url = info[0].As<Napi::String>().Utf8Value();
  wand::ServerUrl parsed;
  Napi::Object out = Napi::Object::New(info.Env());
  if (const char *why = wand::parseServerUrl(url.c_str(), parsed)) {
    out.Set("error", why);
    return out;
  }
  out.Set("https", parsed.https);
  out.Set("host", parsed.host);
  out.Set("port", parsed.port);
  out.Set("path", parsed.path);
  return out;
}

/** readLines(text) -> completed lines as the sketch's LineReader cuts them ({line, overflowed}[]). */
Napi::Value ReadLines(const Napi::CallbackInfo &info) {
  const std::string text = info[0].As<Napi::String>().Utf8Value();
  wand::LineReader reader;
  Napi::Array out = Napi::Array::New(info.Env());
  for (char c : text) {
    if (!reader.push(c)) continue;
    Napi::Object line = Napi::Object::New(info.Env());
    line.Set("line", std::string(reader.line(), reader.length()));
    line.Set("overflowed", reader.overflowed());
    out.Set(out.Length(), line);
  }
  return out;
}

/** captureLines(label, samples) -> the record mode's serial lines for one capture (LogLine.h). */
Napi::Value CaptureLines(const Napi::CallbackInfo &info) {
  const std::string label = info[0].As<Napi::String>().Utf8Value();
  std::vector<float> samples = toSamples(info[1]);
  const size_t count = samples.size() / 3;
  Napi::Array out = Napi::Array::New(info.Env(), count + 2);
  char line[wand::kLogLineCapacity];
  out.Set(0u, wand::formatCaptureBegin(line, sizeof line, label.c_str(), count));
  for (size_t i = 0; i < count; ++i) out.Set(static_cast<uint32_t>(i + 1), wand::formatCaptureRow(line, sizeof line, i, samples.data() + i * 3));
  out.Set(static_cast<uint32_t>(count + 1), wand::kCaptureEnd);
  return out;
}

// ---- device timing: sample schedule, button lockout, Wi-Fi supervision -------------------------

class Schedule : public Napi::ObjectWrap<Schedule> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "SampleSchedule", {InstanceMethod<&Schedule::Start>("start"), InstanceMethod<&Schedule::Due>("due"),
                                               InstanceMethod<&Schedule::Finished>("finished"), InstanceMethod<&Schedule::WaitUs>("waitUs"),
                                               InstanceMethod<&Schedule::Samples>("samples")});
  }
  explicit Schedule(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Schedule>(info), schedule_(timeArg(info, 0), timeArg(info, 1)) {}

 private:
  void Start(const Napi::CallbackInfo &info) { schedule_.start(timeArg(info, 0)); }
  Napi::Value Due(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), schedule_.due(timeArg(info, 0))); }
  Napi::Value Finished(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), schedule_.finished()); }
  Napi::Value WaitUs(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), schedule_.waitUs(timeArg(info, 0))); }
  Napi::Value Samples(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), schedule_.samples()); }
  wand::SampleSchedule schedule_;
};

class Press : public Napi::ObjectWrap<Press> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineClass(env, "PressDetector", {InstanceMethod<&Press::Update>("update")}); }
  explicit Press(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Press>(info), detector_(timeArg(info, 0)) {}

 private:
  Napi::Value Update(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), detector_.update(info[0].ToBoolean(), timeArg(info, 1))); }
  wand::PressDetector detector_;
};

class Link : public Napi::ObjectWrap<Link> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineClass(env, "LinkMonitor", {InstanceMethod<&Link::Update>("update")}); }
  explicit Link(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Link>(info), monitor_(timeArg(info, 0), timeArg(info, 1)) {}

 private:
  Napi::Value Update(const Napi::CallbackInfo &info) {
    const char *events[] = {"none", "up", "down", "reconnect"};
    return Napi::String::New(info.Env(), events[static_cast<int>(monitor_.update(info[0].ToBoolean(), timeArg(info, 1)))]);
  }
  wand::LinkMonitor monitor_;
};

// ---- OffloadPolicy --------------------------------------------------------------------------

class Policy : public Napi::ObjectWrap<Policy> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Policy",
                       {InstanceMethod<&Policy::Decide>("decide"), InstanceMethod<&Policy::RecordSuccess>("recordSuccess"),
                        InstanceMethod<&Policy::RecordFailure>("recordFailure"), InstanceMethod<&Policy::RecordNotSent>("recordNotSent"),
                        InstanceMethod<&Policy::BreakerOpen>("breakerOpen"), InstanceMethod<&Policy::State>("state")});
  }
  explicit Policy(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Policy>(info), policy_(policySettings(info[0])) {}

 private:
  Napi::Value Decide(const Napi::CallbackInfo &info) {
    const wand::Route r = policy_.decide(info[0].As<Napi::Number>().FloatValue(), info[1].ToBoolean(), timeArg(info, 2));
    return Napi::String::New(info.Env(), wand::routeName(r));
  }
  void RecordSuccess(const Napi::CallbackInfo &info) { policy_.recordSuccess(timeArg(info, 0)); }
  void RecordFailure(const Napi::CallbackInfo &info) { policy_.recordFailure(timeArg(info, 0)); }
  void RecordNotSent(const Napi::CallbackInfo &) { policy_.recordNotSent(); }
  Napi::Value BreakerOpen(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), policy_.breakerOpen(timeArg(info, 0))); }
  Napi::Value State(const Napi::CallbackInfo &info) {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("consecutiveFailures", policy_.consecutiveFailures());
    out.Set("cooldownMs", policy_.currentCooldownMs());
    out.Set("threshold", policy_.settings().threshold);
    return out;
  }

  wand::OffloadPolicy policy_;
};

// ---- GestureFlow ----------------------------------------------------------------------------

/** The flow's clock: a JavaScript function returning milliseconds (performance.now, or a test's fake). */
class JsClock : public wand::Clock {
 public:
  explicit JsClock(Napi::Function now) : now_(Napi::Persistent(now)) {}
  uint32_t nowMs() override {
    const double ms = now_.Call({}).As<Napi::Number>().DoubleValue();
    return static_cast<uint32_t>(static_cast<uint64_t>(ms) & 0xffffffffu);
  }

 private:
  Napi::FunctionReference now_;
};

/**
 * A wand: its own policy and clock, the shared classifier, and a capture buffer of the device's
 * size (a longer recording is cut where the wand would stop capturing).
 */
class Flow : public Napi::ObjectWrap<Flow> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Flow",
                       {InstanceMethod<&Flow::Begin>("begin"), InstanceMethod<&Flow::Finish>("finish"), InstanceMethod<&Flow::Abandon>("abandon"),
                        InstanceMethod<&Flow::TransportReturned>("transportReturned"), InstanceMethod<&Flow::Busy>("busy"),
                        InstanceMethod<&Flow::RemainingMs>("remainingMs")});
  }
  explicit Flow(const Napi::CallbackInfo &info)
      : Napi::ObjectWrap<Flow>(info),
        policy_(policySettings(info[0])),
        payload_(wand::bound::kPayloadBytes),
        exchange_(payload_.data(), payload_.size()),
        clock_(info[1].As<Napi::Function>()),
        flow_(classifier(), policy_, exchange_, clock_, &Flow::collect, this, flowSettings(info[0])) {
    requireModel(info.Env());
  }

 private:
  static void collect(void *self, const char *line) { static_cast<Flow *>(self)->lines_.emplace_back(line); }

  Napi::Array takeLines(Napi::Env env) {
    Napi::Array out = Napi::Array::New(env, lines_.size());
    for (size_t i = 0; i < lines_.size(); ++i) out.Set(static_cast<uint32_t>(i), lines_[i]);
    lines_.clear();
    return out;
  }

  Napi::Object answerObject(Napi::Env env) {
    const wand::Answer &a = flow_.answer();
    Napi::Object out = Napi::Object::New(env);
    out.Set("label", a.label);
    out.Set("confidence", a.confidence);
    out.Set("fromCloud", a.fromCloud);
    out.Set("lines", takeLines(env));
    return out;
  }

  /** begin(samples, online) -> {step, route, local, answer, payload?, captured, lines} */
  Napi::Value Begin(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    std::vector<float> samples = toSamples(info[0]);
    capture_.clear();
    for (size_t i = 0; i + 2 < samples.size() && capture_.push(samples[i], samples[i + 1], samples[i + 2]); i += 3) {
    }
    const wand::Step step = flow_.begin(capture_.samples(), capture_.count(), info[1].ToBoolean());
    Napi::Object out = answerObject(env);
    out.Set("step", step == wand::Step::SendToCloud ? "send" : step == wand::Step::Answered ? "answered" : "none");
    out.Set("route", wand::routeName(flow_.route()));
    out.Set("local", PredictionObject(env, flow_.local()));
    out.Set("captured", static_cast<double>(capture_.count()));
    if (step == wand::Step::SendToCloud) out.Set("payload", Napi::String::New(env, flow_.payload(), flow_.payloadLength()));
    return out;
  }

  static wand::FlowSettings flowSettings(const Napi::Value &value) {
    wand::FlowSettings s;
    if (!value.IsObject()) return s;
    Napi::Object o = value.As<Napi::Object>();
    s.deadlineMs = static_cast<uint32_t>(numberOption(o, "deadlineMs", s.deadlineMs));
    s.minMotionG = static_cast<float>(numberOption(o, "minMotionG", s.minMotionG));
    return s;
  }

  /**
   * The main loop's side at the deadline while the transport is still running: abandons the
   * request and falls back (CLOUD_FAILED: timeout). False (and nothing logged) when it had completed.
   */
  Napi::Value Abandon(const Napi::CallbackInfo &info) {
    if (!exchange_.abandon()) return Napi::Boolean::New(info.Env(), false);
    wand::CloudOutcome outcome;
    outcome.transportError = wand::transportName(wand::Transport::Timeout);
    flow_.finish(outcome);
    return answerObject(info.Env());
  }
  /** The transport's side of an abandoned request returning late: true when its result was wanted after all. */
  Napi::Value TransportReturned(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), exchange_.complete()); }
  Napi::Value Busy(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), exchange_.busy()); }
  Napi::Value RemainingMs(const Napi::CallbackInfo &info) { return Napi::Number::New(info.Env(), flow_.remainingMs()); }

  /** finish({status, error?, body?, truncated?}) -> {label, confidence, fromCloud, lines}: the transport returned in time. */
  Napi::Value Finish(const Napi::CallbackInfo &info) {
    Napi::Object o = info[0].As<Napi::Object>();
    wand::CloudOutcome outcome;
    outcome.httpStatus = static_cast<int>(numberOption(o, "status", 0));
    std::string error = o.Get("error").IsString() ? o.Get("error").As<Napi::String>().Utf8Value() : std::string();
    std::string body = o.Get("body").IsString() ? o.Get("body").As<Napi::String>().Utf8Value() : std::string();
    outcome.transportError = error.empty() ? nullptr : error.c_str();
    outcome.body = body.data();
    outcome.bodyLength = body.size();
    outcome.bodyTruncated = o.Get("truncated").ToBoolean();
    exchange_.complete();
    flow_.finish(outcome);
    return answerObject(info.Env());
  }

  wand::OffloadPolicy policy_;
  std::vector<char> payload_;  // each simulated wand has its own request buffer, as a device does
  wand::CloudExchange exchange_;
  JsClock clock_;
  wand::GestureFlow flow_;
  wand::Capture capture_;
  std::vector<std::string> lines_;
};

Napi::Object ModelInfo(Napi::Env env) {
  Napi::Object m = Napi::Object::New(env);
  m.Set("name", kEdgeModel.name);
  m.Set("version", kEdgeModel.version);
  Napi::Array labels = Napi::Array::New(env, kEdgeModel.numClasses);
  for (size_t i = 0; i < kEdgeModel.numClasses; ++i) labels.Set(static_cast<uint32_t>(i), kEdgeModel.labels[i]);
  m.Set("labels", labels);
  m.Set("windowLength", static_cast<double>(kEdgeModel.windowLength));
  m.Set("poolFactor", static_cast<double>(kEdgeModel.poolFactor));
  m.Set("edgeSteps", static_cast<double>(kEdgeModel.edgeSteps));
  m.Set("gravityAlign", kEdgeModel.gravityAlign);
  m.Set("rmsNormalize", kEdgeModel.rmsNormalize);
  m.Set("threshold", kEdgeModel.offloadThreshold);
  m.Set("numLayers", static_cast<double>(kEdgeModel.network.numLayers));
  m.Set("numWeights", static_cast<double>(kEdgeModel.network.numWeights));
  m.Set("maxActivations", static_cast<double>(kEdgeModel.maxActivations));
  m.Set("multiplyAdds", wand::networkMultiplyAdds(kEdgeModel.network));
  m.Set("captureSamples", static_cast<double>(wand::kCaptureSamples));
  m.Set("payloadBufferBytes", static_cast<double>(wand::bound::kPayloadBytes));
  m.Set("responseBufferBytes", static_cast<double>(wand::kResponseBufferBytes));
  const char *why = modelError();
  m.Set("error", why == nullptr ? env.Null() : Napi::String::New(env, why));
  return m;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("model", ModelInfo(env));
  exports.Set("resample", Napi::Function::New<Resample>(env));
  exports.Set("gravityAlign", Napi::Function::New<GravityAlign>(env));
  exports.Set("averagePool", Napi::Function::New<AveragePool>(env));
  exports.Set("rmsNormalize", Napi::Function::New<RmsNormalize>(env));
  exports.Set("features", Napi::Function::New<Features>(env));
  exports.Set("classify", Napi::Function::New<Classify>(env));
  exports.Set("runNetwork", Napi::Function::New<RunNetwork>(env));
  exports.Set("softmax", Napi::Function::New<Softmax>(env));
  exports.Set("writePayload", Napi::Function::New<WritePayload>(env));
  exports.Set("payloadCapacity", Napi::Function::New<PayloadCapacity>(env));
  exports.Set("readResponse", Napi::Function::New<ReadResponse>(env));
  exports.Set("motionRms", Napi::Function::New<MotionRms>(env));
  exports.Set("worthRetry", Napi::Function::New<WorthRetry>(env));
  exports.Set("parseCommand", Napi::Function::New<ParseCommand>(env));
  exports.Set("parseServerUrl", Napi::Function::New<ParseServerUrl>(env));
  exports.Set("readLines", Napi::Function::New<ReadLines>(env));
  exports.Set("captureLines", Napi::Function::New<CaptureLines>(env));
  exports.Set("SampleSchedule", Schedule::Define(env));
  exports.Set("PressDetector", Press::Define(env));
  exports.Set("LinkMonitor", Link::Define(env));
  exports.Set("Policy", Policy::Define(env));
  exports.Set("Flow", Flow::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(wandcore, Init)
