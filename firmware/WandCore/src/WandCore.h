// wandcloud's portable wand core. Bind the generated model with BindEdgeModel.h (see there).
#pragma once

#include "CloudExchange.h"
#include "EdgeClassifier.h"
#include "EdgeNetwork.h"
#include "Features.h"
#include "GestureFlow.h"
#include "LogLine.h"
#include "OffloadPolicy.h"
#include "Payload.h"
#include "ResponseReader.h"
#include "SerialCommand.h"
#include "ServerUrl.h"
#include "Timing.h"
