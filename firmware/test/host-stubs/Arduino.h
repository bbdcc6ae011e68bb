// Host stub for the sketch syntax check only (see README.md): declarations, no behaviour.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define HIGH 0x1
#define LOW 0x0
#define INPUT_PULLUP 0x05
#define OUTPUT 0x03

unsigned long millis();
void delay(uint32_t ms);
void yield();
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);

class String {
 public:
  String(const char *text);
};

class Print {
 public:
  virtual ~Print() = default;
  virtual size_t write(uint8_t) = 0;
  virtual size_t write(const uint8_t *buffer, size_t size);
  virtual void flush() {}
  size_t printf(const char *format, ...) __attribute__((format(printf, 2, 3)));
  size_t print(const char *text);
  size_t println(const char *text);
};

class Stream : public Print {
 public:
  virtual int available() = 0;
  virtual int read() = 0;
  virtual int peek() = 0;
};

class HardwareSerial : public Stream {
 public:
  void begin(unsigned long baud);
  size_t write(uint8_t) override;
  int available() override;
  int read() override;
  int peek() override;
};
extern HardwareSerial Serial;
