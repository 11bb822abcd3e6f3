package dev.sonde.agent.probes;

/** The method the expression tests compile into; its marked line sees every local below. */
public class ExpressionSample {

    private final String secret = "hidden";
    static long counter = 7;

    public int run(int i, long l, double d, char c, String s, Integer boxed, int[] arr, boolean flag) {
        int sum = i + arr.length;
        return sum + s.length(); // expression line
    }

    public String chain(String s) {
        return new StringBuilder(s)
                .append(s.length())
                .toString();
    }

    private int twice(int x) {
        return 2 * x;
    }
}
