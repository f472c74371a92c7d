// Eight threads, each with a ThreadLocal, summing into an AtomicLong.
import java.util.concurrent.atomic.AtomicLong;

public class Threads {
    static final ThreadLocal<long[]> LOCAL = ThreadLocal.withInitial(() -> new long[1]);

    public static void main(String[] args) throws InterruptedException {
        AtomicLong total = new AtomicLong();
        Thread[] ts = new Thread[8];
        for (int i = 0; i < ts.length; i++) {
            final int n = i;
            ts[i] = new Thread(() -> {
                long[] mine = LOCAL.get();
                for (int k = 0; k < 200000; k++)
                    mine[0] += (k ^ n) & 15;
                total.addAndGet(mine[0]);
            });
            ts[i].start();
        }
        for (Thread t : ts)
            t.join();
        System.out.println("total " + total.get());
    }
}
