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
unsigned long micros();
void delay(uint32_t ms);
void delayMicroseconds(uint32_t us);
void yield();
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);

class String {
 public:
  String(const char *text);
};

class IPAddress {
 public:
  IPAddress();
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

// FreeRTOS, which the ESP32 core's Arduino.h includes (functions here; macros on the device).
typedef int BaseType_t;
typedef uint32_t TickType_t;
typedef void *TaskHandle_t;
typedef void *SemaphoreHandle_t;
typedef void (*TaskFunction_t)(void *);
#define pdTRUE 1
#define pdPASS 1
#define portMAX_DELAY 0xffffffffu
TickType_t pdMS_TO_TICKS(uint32_t ms);
BaseType_t xTaskCreatePinnedToCore(TaskFunction_t task, const char *name, uint32_t stackBytes, void *parameter, unsigned priority,
                                   TaskHandle_t *created, BaseType_t core);
uint32_t ulTaskNotifyTake(BaseType_t clearOnExit, TickType_t ticks);
BaseType_t xTaskNotifyGive(TaskHandle_t task);
SemaphoreHandle_t xSemaphoreCreateBinary();
BaseType_t xSemaphoreTake(SemaphoreHandle_t semaphore, TickType_t ticks);
BaseType_t xSemaphoreGive(SemaphoreHandle_t semaphore);
