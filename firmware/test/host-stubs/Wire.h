// Host stub for the sketch syntax check only (see README.md).
#pragma once
#include "Arduino.h"
class TwoWire {};
extern TwoWire Wire;
