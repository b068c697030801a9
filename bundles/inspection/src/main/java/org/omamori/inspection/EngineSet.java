package org.omamori.inspection;

import java.util.ArrayList;
import java.util.List;

import org.omamori.api.engine.Engine;

/** An immutable snapshot of the engines in force. Replaced, never changed. */
record EngineSet(List<EngineSlot> slots) {

    static final EngineSet EMPTY = new EngineSet(List.of());

    EngineSet {
        slots = List.copyOf(slots);
    }

    EngineSet with(EngineSlot slot) {
        List<EngineSlot> next = new ArrayList<>(slots);
        next.add(slot);
        return new EngineSet(next);
    }

    EngineSet without(Engine engine) {
        List<EngineSlot> next = new ArrayList<>(slots.size());
        for (EngineSlot slot : slots) {
            if (slot.engine != engine) {
                next.add(slot);
            }
        }
        return new EngineSet(next);
    }

    EngineSlot find(Engine engine) {
        for (EngineSlot slot : slots) {
            if (slot.engine == engine) {
                return slot;
            }
        }
        return null;
    }

    /** Acquires every engine, or none if one was retired meanwhile. */
    boolean tryAcquireAll() {
        for (int i = 0; i < slots.size(); i++) {
            if (!slots.get(i).tryAcquire()) {
                for (int j = 0; j < i; j++) {
                    slots.get(j).release();
                }
                return false;
            }
        }
        return true;
    }
}
