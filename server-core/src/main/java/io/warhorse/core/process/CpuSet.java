package io.warhorse.core.process;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A set of CPU ids in Linux's list syntax ({@code 0-3,8,10-11}, as in {@code /proc/self/status}'s
 * {@code Cpus_allowed_list} and taskset's {@code -c}), and its split into the workers' shares. Immutable; any thread.
 */
public final class CpuSet {

    /** Linux's largest CONFIG_NR_CPUS: an id above it is not a CPU, whatever a list says. */
    static final int MAX_CPUS = 8192;

    private final BitSet ids;

    private CpuSet(BitSet ids) {
        this.ids = ids;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong: anything but non-empty, ascending-range items of
     *                                  digits, or an id of {@value #MAX_CPUS} or more
     */
    public static CpuSet parse(String list) {
        String text = list.strip();
        if (text.isEmpty() || text.length() > 64 * 1024) {
            throw new IllegalArgumentException("not a CPU list: '" + abbreviated(text) + "'");
        }
        BitSet ids = new BitSet();
        for (String item : text.split(",", -1)) {
            int dash = item.indexOf('-');
            int first = id(dash < 0 ? item : item.substring(0, dash), list);
            int last = dash < 0 ? first : id(item.substring(dash + 1), list);
            if (last < first) {
                throw new IllegalArgumentException("CPU range " + item + " runs backwards in '" + abbreviated(text) + "'");
            }
            ids.set(first, last + 1);
        }
        return new CpuSet(ids);
    }

    private static int id(String digits, String list) {
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a CPU id: '" + digits + "' in '" + abbreviated(list) + "'");
        }
        int id = Integer.parseInt(digits);
        if (id >= MAX_CPUS) {
            throw new IllegalArgumentException("CPU id " + id + " is past " + (MAX_CPUS - 1) + " in '" + abbreviated(list) + "'");
        }
        return id;
    }

    private static String abbreviated(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** How many CPUs. */
    public int size() {
        return ids.cardinality();
    }

    /** Whether {@code id} is one of them. */
    public boolean contains(int id) {
        return id >= 0 && ids.get(id);
    }

    /** The ids in ascending order. */
    public int[] ids() {
        return ids.stream().toArray();
    }

    /**
     * The shares of {@code workers} workers: one CPU each when there are at least as many workers as CPUs, else
     * {@code workers} runs of consecutive CPUs as even as can be (the first ones one larger).
     */
    public List<CpuSet> shares(int workers) {
        int[] all = ids();
        int groups = Math.min(Math.max(1, workers), all.length);
        List<CpuSet> shares = new ArrayList<>(groups);
        int next = 0;
        for (int group = 0; group < groups; group++) {
            int size = all.length / groups + (group < all.length % groups ? 1 : 0);
            BitSet share = new BitSet();
            for (int i = 0; i < size; i++) {
                share.set(all[next++]);
            }
            shares.add(new CpuSet(share));
        }
        return shares;
    }

    /** The list syntax, ranges joined: {@code 0-3,8}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int start = ids.nextSetBit(0); start >= 0; ) {
            int end = ids.nextClearBit(start) - 1;
            text.append(text.isEmpty() ? "" : ",").append(start);
            if (end > start) {
                text.append('-').append(end);
            }
            start = ids.nextSetBit(end + 1);
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CpuSet set && set.ids.equals(ids);
    }

    @Override
    public int hashCode() {
        return ids.hashCode();
    }
}
