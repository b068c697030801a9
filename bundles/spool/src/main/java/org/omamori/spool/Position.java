package org.omamori.spool;

/**
 * A place in one kind's queue: segment number, byte offset in it, and how many records of the
 * segment lie before the offset.
 */
public record Position(long segment, long offset, int index) implements Comparable<Position> {

    @Override
    public int compareTo(Position other) {
        int bySegment = Long.compare(segment, other.segment);
        return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
    }
}
