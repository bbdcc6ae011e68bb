// The wand's one cloud request at a time, shared by the main loop and whatever performs the HTTP
// exchange (a FreeRTOS task on the device, the simulator's fetch on the host). The main loop waits
// for the exchange only until the gesture's deadline; a request still running then is abandoned, and
// its buffers (the payload here, the response the transport writes) stay the transport's until it
// returns, so a late answer can never land in memory a newer gesture is using.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <atomic>

namespace wand {

/** Bytes the wand keeps of a cloud response; a longer body is refused as too large. */
constexpr size_t kResponseBufferBytes = 512;

/** Why an HTTP exchange produced no response, in the stage it failed at. */
enum class Transport : uint8_t {
  Ok,
  BadUrl,
  Dns,       // the host name did not resolve
  Connect,   // TCP connect failed (refused, unreachable, timed out)
  Tls,       // the TLS handshake failed (certificate, protocol)
  Lost,      // the connection dropped while sending or waiting (a kept-alive socket the server had closed)
  Timeout,   // the gesture's deadline passed
  Other,
};

/** The words the serial log uses for a transport failure ("dns failed", "tls failed", ...). */
const char *transportName(Transport failure);

/**
 * Whether a failed attempt deserves a second one: only a dropped kept-alive connection (the server
 * closes idle ones; the request never reached it), and only when `remainingMs` of the deadline still
 * leaves room for a fresh connection (`freshAttemptMs`). Everything else would fail again.
 */
bool worthRetry(Transport failure, bool reusedConnection, uint32_t remainingMs, uint32_t freshAttemptMs);

/** What the HTTP exchange produced. */
struct CloudOutcome {
  int httpStatus = 0;                   // the HTTP status, or <= 0 when no response arrived
  const char *transportError = nullptr; // why no response arrived (transportName, or the host's words)
  const char *body = nullptr;
  size_t bodyLength = 0;
  bool bodyTruncated = false;  // the body did not fit the receive buffer
};

class CloudExchange {
 public:
  enum class State : uint32_t { Idle, InFlight, Done, Abandoned };

  CloudExchange(char *payload, size_t payloadCapacity) : payload_(payload), capacity_(payloadCapacity) {}

  /** Main loop: takes the exchange for a new request; false while an abandoned one is still running. */
  bool claim();
  /**
   * Transport: the request has finished and `outcome()` holds its result. False when the main loop
   * had already given up on it: the result is dropped and the exchange is free again.
   */
  bool complete();
  /**
   * Main loop, at the deadline: true when the request was still running (the transport frees the
   * exchange when it returns); false when it completed just now (read `outcome()` after all).
   */
  bool abandon();
  /** Main loop, after reading a completed request's outcome: frees the exchange. */
  void release();

  State state() const { return state_.load(); }
  bool busy() const { return state() != State::Idle; }

  char *payload() const { return payload_; }
  size_t payloadCapacity() const { return capacity_; }
  size_t payloadLength() const { return length_; }
  void setPayloadLength(size_t length) { length_ = length; }
  CloudOutcome &outcome() { return outcome_; }

 private:
  bool move(State from, State to);

  std::atomic<State> state_{State::Idle};
  char *payload_;
  size_t capacity_;
  size_t length_ = 0;
  CloudOutcome outcome_;
};

}  // namespace wand
