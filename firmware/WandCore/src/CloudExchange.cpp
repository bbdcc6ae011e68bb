#include "CloudExchange.h"

namespace wand {

const char *transportName(Transport failure) {
  switch (failure) {
    case Transport::Ok: return "ok";
    case Transport::BadUrl: return "bad server URL";
    case Transport::Dns: return "dns failed";
    case Transport::Connect: return "connect failed";
    case Transport::Tls: return "tls failed";
    case Transport::Lost: return "connection lost";
    case Transport::Timeout: return "timeout";
    case Transport::Other: return "http client error";
  }
  return "?";
}

bool worthRetry(Transport failure, bool reusedConnection, uint32_t remainingMs, uint32_t freshAttemptMs) {
  return failure == Transport::Lost && reusedConnection && remainingMs >= freshAttemptMs;
}

bool CloudExchange::move(State from, State to) { return state_.compare_exchange_strong(from, to); }

bool CloudExchange::claim() {
  if (!move(State::Idle, State::InFlight)) return false;
  length_ = 0;
  outcome_ = CloudOutcome{};
  return true;
}

bool CloudExchange::complete() {
  if (move(State::InFlight, State::Done)) return true;
  move(State::Abandoned, State::Idle);
  return false;
}

bool CloudExchange::abandon() { return move(State::InFlight, State::Abandoned); }

void CloudExchange::release() { move(State::Done, State::Idle); }

}  // namespace wand
