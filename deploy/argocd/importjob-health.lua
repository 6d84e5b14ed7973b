-- Argo CD health check for callimport.io/ImportJob (resource.customizations.health.callimport.io_ImportJob in argocd-cm).
-- phase and conditions -> Healthy / Progressing / Degraded / Suspended. See the README, "Argo CD".
local hs = { status = "Progressing", message = "Waiting for the CallImport operator" }

local function condition(status, type)
  if status.conditions == nil then return nil end
  for _, c in ipairs(status.conditions) do
    if c.type == type then return c end
  end
  return nil
end

local function counts(status)
  return string.format("%d processed, %d failed, %d skipped of %s",
    status.processedCalls or 0, status.failedCalls or 0, status.skippedCalls or 0,
    status.totalCalls ~= nil and tostring(status.totalCalls) or "?")
end

if obj.status == nil or obj.status.phase == nil then
  return hs
end
local status = obj.status

-- A spec the operator has not acted on yet says nothing about the new spec.
if obj.metadata ~= nil and obj.metadata.generation ~= nil and status.observedGeneration ~= nil
    and status.observedGeneration < obj.metadata.generation then
  hs.message = "The operator has not seen the latest spec yet"
  return hs
end

-- Only a person can move it on (missing Secret, credentials refused): Degraded, with what to do.
local stalled = condition(status, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.reason .. ": " .. (stalled.message or "")
  return hs
end

local phase = status.phase
if phase == "Completed" then
  hs.status = "Healthy"
  hs.message = counts(status)
elseif phase == "Partial" then
  hs.status = "Degraded"
  hs.message = "Some calls failed: " .. counts(status) .. " (retry: annotate callimport.io/retry-requested-at)"
elseif phase == "Failed" then
  hs.status = "Degraded"
  local ready = condition(status, "Ready")
  hs.message = "Failed" .. ((ready ~= nil and ready.message ~= nil and ready.message ~= "") and (": " .. ready.message) or "")
elseif phase == "Cancelled" then
  hs.status = "Suspended"
  hs.message = "Cancelled by spec.cancel: " .. counts(status)
elseif phase == "Waiting" then
  hs.status = "Suspended"
  hs.message = "Waiting for the import window or the daily quota" ..
    (status.nextWindowStart ~= nil and (", next start " .. status.nextWindowStart) or "")
elseif phase == "Running" then
  hs.status = "Progressing"
  local progressing = condition(status, "Progressing")
  if progressing ~= nil and progressing.status == "False" then
    hs.message = "Running, but " .. (progressing.message or "the runner reports no progress")
  else
    hs.message = "Running: " .. counts(status)
  end
else
  -- Queued: waiting for a run slot (the Scheduled condition says which cap).
  hs.status = "Progressing"
  local scheduled = condition(status, "Scheduled")
  hs.message = "Queued" .. ((scheduled ~= nil and scheduled.status == "False" and scheduled.message ~= nil) and (": " .. scheduled.message) or "")
end
return hs
