// wandcloud magic wand: captures a gesture with the MPU6050, answers locally when the edge model
// is sure, asks the cloud when it is not, and always acts on an answer. Everything but the
// hardware calls lives in the WandCore library (tested on the host); this sketch is the glue.
//
// Setup: copy config.example.h to config.h and fill it in; the model is edge_model.h in this
// folder (npm run firmware:sync-model copies it from models/default). Libraries: WandCore
// (firmware/WandCore) and Adafruit MPU6050. Press the button (or send 'g' on the serial monitor)
// and make the gesture within the next second.

#include <Adafruit_MPU6050.h>
#include <Adafruit_Sensor.h>
#include <HTTPClient.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <Wire.h>

#if __has_include("config.h")
#include "config.h"
#else
#warning "no config.h: building with config.example.h placeholders (local-only wand)"
#include "config.example.h"
#endif

#include "azure_roots.h"
#include "edge_model.h"
#include <WandCore.h>
#include <BindEdgeModel.h>

#ifdef WAND_THRESHOLD_OVERRIDE
static_assert(WAND_THRESHOLD_OVERRIDE >= 0.0f && WAND_THRESHOLD_OVERRIDE <= 1.0f, "WAND_THRESHOLD_OVERRIDE must be 0..1");
#define WAND_THRESHOLD WAND_THRESHOLD_OVERRIDE
#else
#define WAND_THRESHOLD WAND_OFFLOAD_THRESHOLD
#endif
static_assert(WAND_HTTP_CONNECT_TIMEOUT_MS <= WAND_HTTP_DEADLINE_MS, "the connect timeout must fit in the deadline");
static_assert(WAND_HTTP_DEADLINE_MS <= 65535, "HTTPClient's read timeout is 16-bit milliseconds");

namespace {

constexpr uint32_t kCaptureMs = 1000;       // the lab's capture: 1 s ...
constexpr uint32_t kSamplePeriodMs = 10;    // ... one sample every >= 10 ms (REFERENCE 1.1)
constexpr uint32_t kWifiConnectMs = 15000;

Adafruit_MPU6050 mpu;
wand::Capture capture;
wand::EdgeClassifier classifier(wand::kEdgeModel, wand::kEdgeWorkspace);

wand::PolicySettings policySettings() {
  wand::PolicySettings s;
  s.threshold = WAND_THRESHOLD;
  s.breakerFailures = WAND_BREAKER_FAILURES;
  s.baseCooldownMs = WAND_BREAKER_COOLDOWN_MS;
  s.maxCooldownMs = WAND_BREAKER_MAX_COOLDOWN_MS;
  s.budgetPerMinute = WAND_OFFLOAD_BUDGET_PER_MINUTE;
  return s;
}
wand::OffloadPolicy policy(policySettings());

class MillisClock : public wand::Clock {
 public:
  uint32_t nowMs() override { return millis(); }
};
MillisClock wandClock;

void serialLine(void *, const char *line) { Serial.println(line); }
wand::GestureFlow flow(classifier, policy, wandClock, serialLine, nullptr, WAND_HTTP_DEADLINE_MS);

/** HTTPClient writes the response body here: a fixed buffer, so a huge body cannot exhaust the heap. */
class BodyBuffer : public Stream {
 public:
  void clear() {
    length_ = 0;
    truncated_ = false;
  }
  size_t write(uint8_t byte) override { return write(&byte, 1); }
  size_t write(const uint8_t *data, size_t size) override {
    size_t n = 0;
    while (n < size && length_ < sizeof data_) data_[length_++] = static_cast<char>(data[n++]);
    if (n < size) truncated_ = true;
    return n;
  }
  int available() override { return 0; }
  int read() override { return -1; }
  int peek() override { return -1; }
  void flush() override {}

  const char *data() const { return data_; }
  size_t length() const { return length_; }
  bool truncated() const { return truncated_; }

 private:
  char data_[wand::kResponseBufferBytes];
  size_t length_ = 0;
  bool truncated_ = false;
};
BodyBuffer body;

/** The device's words for HTTPClient's negative error codes (no String allocation). */
const char *transportReason(int code) {
  switch (code) {
    case HTTPC_ERROR_CONNECTION_REFUSED:
      return "connection failed";
    case HTTPC_ERROR_SEND_PAYLOAD_FAILED:
    case HTTPC_ERROR_CONNECTION_LOST:
    case HTTPC_ERROR_NOT_CONNECTED:
      return "connection lost";
    case HTTPC_ERROR_READ_TIMEOUT:
      return "timeout";
    default:
      return "http client error";
  }
}

bool isHttps(const char *url) { return strncmp(url, "https://", 8) == 0; }

/** True when the configuration can reach a cloud at all; otherwise the wand stays local-only. */
bool cloudConfigured() {
  if (strcmp(WAND_WIFI_SSID, "your-wifi-name") == 0) return false;
  if (strstr(WAND_SERVER_URL, "your-app") != nullptr) return false;
#ifdef WAND_DEBUG_PLAIN_HTTP
  return isHttps(WAND_SERVER_URL) || strncmp(WAND_SERVER_URL, "http://", 7) == 0;
#else
  return isHttps(WAND_SERVER_URL);
#endif
}
bool configured = false;

/** One POST of the payload with the connect timeout and total deadline; never blocks longer. */
wand::CloudOutcome postToCloud(const char *payload, size_t length) {
  static WiFiClientSecure tls;
  static WiFiClient plain;
  wand::CloudOutcome outcome;
  WiFiClient *client = &plain;
  if (isHttps(WAND_SERVER_URL)) {
#ifdef WAND_DEBUG_INSECURE_TLS
    tls.setInsecure();
#else
    tls.setCACert(WAND_AZURE_ROOT_CAS);
#endif
    tls.setHandshakeTimeout((WAND_HTTP_DEADLINE_MS + 999) / 1000);
    client = &tls;
  }
  HTTPClient http;
  http.setConnectTimeout(WAND_HTTP_CONNECT_TIMEOUT_MS);
  http.setTimeout(WAND_HTTP_DEADLINE_MS);
  if (!http.begin(*client, WAND_SERVER_URL)) {
    outcome.transportError = "bad server URL";
    return outcome;
  }
  http.addHeader("Content-Type", "application/json");
  if (sizeof(WAND_API_KEY) > 1) http.addHeader("x-api-key", WAND_API_KEY);
  const int status = http.POST(reinterpret_cast<uint8_t *>(const_cast<char *>(payload)), length);
  body.clear();
  if (status <= 0) {
    outcome.transportError = transportReason(status);
  } else {
    outcome.httpStatus = status;
    if (status == HTTP_CODE_OK) http.writeToStream(&body);
    outcome.body = body.data();
    outcome.bodyLength = body.length();
    outcome.bodyTruncated = body.truncated();
  }
  http.end();
  return outcome;
}

bool triggered() {
  if (digitalRead(WAND_BUTTON_PIN) == LOW) return true;
  bool asked = false;
  while (Serial.available() > 0) asked = (Serial.read() == 'g') || asked;
  return asked;
}

void captureGesture() {
  capture.clear();
  digitalWrite(WAND_LED_PIN, HIGH);
  const uint32_t start = millis();
  uint32_t last = start - kSamplePeriodMs;
  while (millis() - start < kCaptureMs && !capture.full()) {
    if (millis() - last < kSamplePeriodMs) {
      delay(1);
      continue;
    }
    last = millis();
    sensors_event_t accel, gyro, temp;
    mpu.getEvent(&accel, &gyro, &temp);  // gyro is read but unused, as in the lab
    capture.push(accel.acceleration.x, accel.acceleration.y, accel.acceleration.z);
  }
  digitalWrite(WAND_LED_PIN, LOW);
}

/** Acts on the answer: blink once per class index + 1 (O, V, Z -> 1, 2, 3 blinks). */
void act(const wand::Answer &answer) {
  for (int i = 0; i <= answer.label; ++i) {
    digitalWrite(WAND_LED_PIN, HIGH);
    delay(150);
    digitalWrite(WAND_LED_PIN, LOW);
    delay(150);
  }
}

}  // namespace

void setup() {
  Serial.begin(115200);
  pinMode(WAND_BUTTON_PIN, INPUT_PULLUP);
  pinMode(WAND_LED_PIN, OUTPUT);
  if (const char *why = classifier.begin()) {
    Serial.printf("MODEL_ERROR: %s\n", why);
    while (true) delay(1000);
  }
  Serial.printf("MODEL: %s %s, threshold %.1f%%\n", WAND_MODEL_NAME, WAND_MODEL_VERSION, WAND_THRESHOLD * 100.0);
  while (!mpu.begin()) {
    Serial.println("MPU6050_NOT_FOUND: check the wiring");
    delay(1000);
  }
  mpu.setAccelerometerRange(MPU6050_RANGE_8_G);
  mpu.setGyroRange(MPU6050_RANGE_500_DEG);
  mpu.setFilterBandwidth(MPU6050_BAND_21_HZ);

  configured = cloudConfigured();
  if (!configured) {
    Serial.println("CONFIG: no usable Wi-Fi/server settings in config.h, running local-only");
    return;
  }
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(WAND_WIFI_SSID, WAND_WIFI_PASSWORD);
  const uint32_t start = millis();
  while (WiFi.status() != WL_CONNECTED && millis() - start < kWifiConnectMs) delay(250);
  Serial.println(WiFi.status() == WL_CONNECTED ? "WIFI: connected" : "WIFI: not connected yet, answering locally until it is");
}

void loop() {
  if (!triggered()) {
    delay(10);
    return;
  }
  captureGesture();
  const bool online = configured && WiFi.status() == WL_CONNECTED;
  switch (flow.begin(capture.samples(), capture.count(), online)) {
    case wand::Step::SendToCloud:
      flow.finish(postToCloud(flow.payload(), flow.payloadLength()));
      act(flow.answer());
      break;
    case wand::Step::Answered:
      act(flow.answer());
      break;
    case wand::Step::NoGesture:
      break;
  }
  while (digitalRead(WAND_BUTTON_PIN) == LOW) delay(10);  // one gesture per press
}
