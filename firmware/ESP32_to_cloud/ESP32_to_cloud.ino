// wandcloud magic wand: captures a gesture with the MPU6050, answers locally when the edge model
// is sure, asks the cloud when it is not, and always acts on an answer. Everything but the
// hardware calls lives in the WandCore library (tested on the host); this sketch is the glue.
//
// Setup: copy config.example.h to config.h and fill it in; the model is edge_model.h in this
// folder (npm run firmware:sync-model copies it from models/default). Libraries: WandCore
// (firmware/WandCore) and Adafruit MPU6050. Press the button (or send `g` on the serial monitor)
// and make the gesture within the next second; `r <label>` records a capture for training
// (firmware/README.md, "Record mode").

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
// Every setting lands in a typed field below: out-of-range values stop the build instead of truncating.
static_assert(WAND_HTTP_CONNECT_TIMEOUT_MS > 0 && WAND_HTTP_CONNECT_TIMEOUT_MS <= WAND_HTTP_DEADLINE_MS, "the connect timeout must fit in the deadline");
static_assert(WAND_HTTP_DEADLINE_MS >= 500 && WAND_HTTP_DEADLINE_MS <= 60000, "WAND_HTTP_DEADLINE_MS must be 500..60000");
static_assert(WAND_BREAKER_FAILURES >= 0 && WAND_BREAKER_FAILURES <= 255, "WAND_BREAKER_FAILURES must be 0..255 (uint8_t)");
static_assert(WAND_BREAKER_COOLDOWN_MS > 0 && WAND_BREAKER_COOLDOWN_MS <= WAND_BREAKER_MAX_COOLDOWN_MS, "breaker cool-down must be 1..max");
static_assert(WAND_BREAKER_MAX_COOLDOWN_MS <= 86400000, "WAND_BREAKER_MAX_COOLDOWN_MS must be at most a day");
static_assert(WAND_OFFLOAD_BUDGET_PER_MINUTE >= 0 && WAND_OFFLOAD_BUDGET_PER_MINUTE <= 65535, "WAND_OFFLOAD_BUDGET_PER_MINUTE must be 0..65535 (uint16_t)");
static_assert(WAND_MIN_MOTION_G >= 0.0f && WAND_MIN_MOTION_G <= 1.0f, "WAND_MIN_MOTION_G must be 0..1 g");
static_assert(WAND_WIFI_RETRY_MS >= 500 && WAND_WIFI_RETRY_MS <= WAND_WIFI_MAX_RETRY_MS, "Wi-Fi retry must be 500 ms..max");
static_assert(WAND_WIFI_MAX_RETRY_MS <= 3600000, "WAND_WIFI_MAX_RETRY_MS must be at most an hour");
static_assert(WAND_BUTTON_LOCKOUT_MS >= 0 && WAND_BUTTON_LOCKOUT_MS <= 5000, "WAND_BUTTON_LOCKOUT_MS must be 0..5000");
static_assert(WAND_BUTTON_PIN >= 0 && WAND_BUTTON_PIN <= 39 && WAND_LED_PIN >= 0 && WAND_LED_PIN <= 39, "ESP32 GPIOs are 0..39");

namespace {

constexpr uint32_t kCaptureUs = 1000000;     // the lab's capture: 1 s ...
constexpr uint32_t kSamplePeriodUs = 10000;  // ... a sample every 10 ms, 101 samples (REFERENCE 1.1)
constexpr uint32_t kWifiConnectMs = 15000;
constexpr uint32_t kFreshAttemptMs = 1500;   // a new TLS connection needs ~1 s: retry only with this much left
constexpr uint32_t kHttpTaskStack = 8192;    // mbedTLS handshakes need ~6 KB of stack

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

wand::FlowSettings flowSettings() {
  wand::FlowSettings s;
  s.deadlineMs = WAND_HTTP_DEADLINE_MS;
  s.minMotionG = WAND_MIN_MOTION_G;
  return s;
}

class MillisClock : public wand::Clock {
 public:
  uint32_t nowMs() override { return millis(); }
};
MillisClock wandClock;

void serialLine(void *, const char *line) { Serial.println(line); }
wand::CloudExchange exchange(wand::bound::payload, sizeof wand::bound::payload);
wand::GestureFlow flow(classifier, policy, exchange, wandClock, serialLine, nullptr, flowSettings());
wand::PressDetector button(WAND_BUTTON_LOCKOUT_MS);
wand::LinkMonitor wifi(WAND_WIFI_RETRY_MS, WAND_WIFI_MAX_RETRY_MS);
wand::LineReader serialCommands;
wand::ServerUrl server;
bool configured = false;

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

// ---- the HTTP exchange, in its own task -----------------------------------------------------
// Every stage of HTTPClient has its own timer (DNS none at all), so only waiting from outside
// bounds a request: the main loop waits on `cloudDone` until the gesture's deadline and then
// abandons the request (CloudExchange). Until the task returns, the exchange's payload, `body`
// and the clients below are the task's; the next gesture answers locally meanwhile.

TaskHandle_t cloudTask = nullptr;
SemaphoreHandle_t cloudDone = nullptr;
volatile uint32_t cloudDeadlineAtMs = 0;
BodyBuffer body;
WiFiClientSecure tls;
WiFiClient plain;
HTTPClient http;  // kept, with its connection, between requests (keep-alive)
char tlsError[96];

WiFiClient &cloudClient() { return server.https ? static_cast<WiFiClient &>(tls) : plain; }

uint32_t cloudRemainingMs() {
  const int32_t left = static_cast<int32_t>(cloudDeadlineAtMs - millis());
  return left > 0 ? static_cast<uint32_t>(left) : 0;
}

/** Opens a new connection itself, so a failure says which stage failed. */
wand::Transport connectFresh() {
  cloudClient().stop();
  tlsError[0] = '\0';
  IPAddress ip;
  if (Network.hostByName(server.host, ip) != 1) return wand::Transport::Dns;
  if (!server.https) return plain.connect(ip, server.port) ? wand::Transport::Ok : wand::Transport::Connect;
  tls.setHandshakeTimeout((WAND_HTTP_DEADLINE_MS + 999) / 1000);
#ifdef WAND_DEBUG_INSECURE_TLS
  tls.setInsecure();
  const char *roots = nullptr;
#else
  const char *roots = WAND_AZURE_ROOT_CAS;
#endif
  if (tls.connect(ip, server.port, server.host, roots, nullptr, nullptr)) return wand::Transport::Ok;
  // lastError is -1 when ssl_client's TCP connect failed (or the handshake's own timer ran out, after the
  // gesture's deadline anyway) and mbedTLS's code, its text in tlsError, when the handshake was refused.
  const int error = tls.lastError(tlsError, sizeof tlsError);
  if (error != 0 && error != -1) return wand::Transport::Tls;
  tlsError[0] = '\0';
  return wand::Transport::Connect;
}

wand::Transport httpFailure(int code) {
  switch (code) {
    case HTTPC_ERROR_READ_TIMEOUT:
      return wand::Transport::Timeout;
    case HTTPC_ERROR_CONNECTION_REFUSED:
    case HTTPC_ERROR_SEND_HEADER_FAILED:
    case HTTPC_ERROR_SEND_PAYLOAD_FAILED:
    case HTTPC_ERROR_NOT_CONNECTED:
    case HTTPC_ERROR_CONNECTION_LOST:
      return wand::Transport::Lost;
    default:
      return wand::Transport::Other;
  }
}

/** One request on the current connection (opening one first when there is none). */
wand::Transport attempt(wand::CloudOutcome &out) {
  out = wand::CloudOutcome{};
  body.clear();
  if (!cloudClient().connected()) {
    const wand::Transport opened = connectFresh();
    if (opened != wand::Transport::Ok) {
      out.transportError = wand::transportName(opened);
      return opened;
    }
  }
  http.setReuse(true);
  http.setConnectTimeout(WAND_HTTP_CONNECT_TIMEOUT_MS);
  http.setTimeout(WAND_HTTP_DEADLINE_MS);
  if (!http.begin(cloudClient(), server.host, server.port, server.path, server.https)) {
    out.transportError = wand::transportName(wand::Transport::BadUrl);
    return wand::Transport::BadUrl;
  }
  http.addHeader("Content-Type", "application/json");
  if (sizeof(WAND_API_KEY) > 1) http.addHeader("x-api-key", WAND_API_KEY);
  const int status = http.POST(reinterpret_cast<uint8_t *>(exchange.payload()), exchange.payloadLength());
  wand::Transport result = wand::Transport::Ok;
  if (status <= 0) {
    result = httpFailure(status);
    out.transportError = wand::transportName(result);
  } else {
    out.httpStatus = status;
    if (status == HTTP_CODE_OK) {
      const int read = http.writeToStream(&body);
      if (read < 0 && !body.truncated()) {  // a full buffer is reported as too large below, not as a transport error
        result = httpFailure(read);
        out.httpStatus = 0;
        out.transportError = wand::transportName(result);
      }
    }
    out.body = body.data();
    out.bodyLength = body.length();
    out.bodyTruncated = body.truncated();
  }
  http.end();  // keeps the connection when the server allows it
  return result;
}

void cloudTaskLoop(void *) {
  for (;;) {
    ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    const bool reused = cloudClient().connected();
    wand::CloudOutcome &out = exchange.outcome();
    const wand::Transport failure = attempt(out);
    // A kept-alive connection the server had closed: one fresh try if the deadline leaves room.
    if (wand::worthRetry(failure, reused, cloudRemainingMs(), kFreshAttemptMs)) {
      cloudClient().stop();
      attempt(out);
    }
    if (exchange.complete()) xSemaphoreGive(cloudDone);
  }
}

/**
 * Runs the exchange's request, waiting at most until the gesture's deadline. True when `out` is
 * the task's result; false at the deadline (`out` says timeout, and the task's buffers stay its own).
 */
bool awaitCloud(wand::CloudOutcome &out) {
  cloudDeadlineAtMs = millis() + flow.remainingMs();
  xTaskNotifyGive(cloudTask);
  if (xSemaphoreTake(cloudDone, pdMS_TO_TICKS(flow.remainingMs())) == pdTRUE) {
    out = exchange.outcome();
    return true;
  }
  if (!exchange.abandon()) {
    // It completed at the deadline: its semaphore is given right after.
    xSemaphoreTake(cloudDone, portMAX_DELAY);
    out = exchange.outcome();
    return true;
  }
  out = wand::CloudOutcome{};
  out.transportError = wand::transportName(wand::Transport::Timeout);
  return false;
}

// ---- capture, commands, Wi-Fi ---------------------------------------------------------------

/** True when the configuration can reach a cloud at all; otherwise the wand stays local-only. */
bool cloudConfigured() {
  if (strcmp(WAND_WIFI_SSID, "your-wifi-name") == 0) return false;
  if (strstr(WAND_SERVER_URL, "your-app") != nullptr) return false;
  if (const char *why = wand::parseServerUrl(WAND_SERVER_URL, server)) {
    Serial.printf("CONFIG: %s\n", why);
    return false;
  }
#ifdef WAND_DEBUG_PLAIN_HTTP
  return true;
#else
  return server.https;
#endif
}

/** The lab's capture (REFERENCE 1.1), on a micros() schedule so the 10 ms steps do not drift. */
void captureGesture() {
  capture.clear();
  digitalWrite(WAND_LED_PIN, HIGH);
  wand::SampleSchedule schedule(kSamplePeriodUs, kCaptureUs);
  schedule.start(micros());
  while (!schedule.finished()) {
    const uint32_t now = micros();
    if (!schedule.due(now)) {
      const uint32_t wait = schedule.waitUs(now);
      if (wait > 1500) {
        delay(1);  // lets other tasks run
      } else {
        delayMicroseconds(wait);
      }
      continue;
    }
    sensors_event_t accel, gyro, temp;
    mpu.getEvent(&accel, &gyro, &temp);  // gyro is read but unused, as in the lab
    capture.push(accel.acceleration.x, accel.acceleration.y, accel.acceleration.z);
  }
  digitalWrite(WAND_LED_PIN, LOW);
}

/** Record mode: the capture as CSV rows between CAPTURE_BEGIN and CAPTURE_END (firmware/README.md). */
void recordCapture(const char *label) {
  captureGesture();
  char line[wand::kLogLineCapacity];
  Serial.println(wand::formatCaptureBegin(line, sizeof line, label, capture.count()));
  for (size_t i = 0; i < capture.count(); ++i) Serial.println(wand::formatCaptureRow(line, sizeof line, i, capture.samples() + i * 3));
  Serial.println(wand::kCaptureEnd);
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

void recognise() {
  captureGesture();
  const bool online = configured && wifi.up();
  switch (flow.begin(capture.samples(), capture.count(), online)) {
    case wand::Step::SendToCloud: {
      wand::CloudOutcome outcome;
      const bool fromTask = awaitCloud(outcome);
      flow.finish(outcome);
      if (fromTask && tlsError[0] != '\0') Serial.printf("TLS_ERROR: %s\n", tlsError);  // why the handshake failed
      act(flow.answer());
      break;
    }
    case wand::Step::Answered:
      act(flow.answer());
      break;
    case wand::Step::NoGesture:
      break;
  }
}

/** One serial command, when a full line has arrived. */
void serveSerial() {
  while (Serial.available() > 0) {
    if (!serialCommands.push(static_cast<char>(Serial.read()))) continue;
    if (serialCommands.overflowed()) {
      Serial.println("COMMAND_ERROR: line too long");
      return;
    }
    const wand::Command command = wand::parseCommand(serialCommands.line(), serialCommands.length());
    if (command.kind == wand::Command::Kind::Gesture) {
      recognise();
    } else if (command.kind == wand::Command::Kind::Record) {
      recordCapture(command.label);
    } else if (command.kind == wand::Command::Kind::Invalid) {
      Serial.printf("COMMAND_ERROR: %s\n", command.error);
    }
    return;  // one command per loop(), so the button and Wi-Fi stay served
  }
}

void superviseWifi() {
  if (!configured) return;
  switch (wifi.update(WiFi.status() == WL_CONNECTED, millis())) {
    case wand::LinkMonitor::Event::Up:
      Serial.println("WIFI: up");
      break;
    case wand::LinkMonitor::Event::Down:
      Serial.println("WIFI: down, answering locally until it is back");
      break;
    case wand::LinkMonitor::Event::Reconnect:
      Serial.printf("WIFI: reconnecting (next try in %lu ms)\n", static_cast<unsigned long>(wifi.nextRetryMs()));
      WiFi.disconnect();
      WiFi.begin(WAND_WIFI_SSID, WAND_WIFI_PASSWORD);
      break;
    case wand::LinkMonitor::Event::None:
      break;
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
  cloudDone = xSemaphoreCreateBinary();
  if (cloudDone == nullptr || xTaskCreatePinnedToCore(cloudTaskLoop, "cloud", kHttpTaskStack, nullptr, 1, &cloudTask, 0) != pdPASS) {
    Serial.println("CONFIG: no memory for the cloud task, running local-only");
    configured = false;
    return;
  }
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(WAND_WIFI_SSID, WAND_WIFI_PASSWORD);
  const uint32_t start = millis();
  while (WiFi.status() != WL_CONNECTED && millis() - start < kWifiConnectMs) delay(250);
}

void loop() {
  superviseWifi();
  serveSerial();
  if (button.update(digitalRead(WAND_BUTTON_PIN) == LOW, millis())) recognise();
  delay(5);
}
