// Host stub for the sketch syntax check only (see README.md).
#pragma once
#include "Arduino.h"
enum wl_status_t { WL_IDLE_STATUS = 0, WL_CONNECTED = 3, WL_DISCONNECTED = 6 };
enum wifi_mode_t { WIFI_OFF, WIFI_STA };
class WiFiClient : public Stream {
 public:
  virtual int connect(IPAddress ip, uint16_t port);
  virtual void stop();
  virtual uint8_t connected();
  size_t write(uint8_t) override;
  int available() override;
  int read() override;
  int peek() override;
};
class WiFiClass {
 public:
  wl_status_t begin(const char *ssid, const char *passphrase = nullptr);
  wl_status_t status();
  bool mode(wifi_mode_t);
  bool setAutoReconnect(bool);
  bool disconnect(bool wifiOff = false, bool eraseAp = false);
};
extern WiFiClass WiFi;
// arduino-esp32 3.x: the Network library (included by WiFi.h) resolves names; 1 on success.
class NetworkManager {
 public:
  int hostByName(const char *aHostname, IPAddress &aResult);
};
extern NetworkManager Network;
