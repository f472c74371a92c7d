// Four threads with a thread_local, joined; linked by rustc (which forks cc).
use std::cell::Cell;
use std::thread;

thread_local!(static COUNT: Cell<u64> = Cell::new(0));

fn main() {
    let handles: Vec<_> = (1..=4u64)
        .map(|i| {
            thread::spawn(move || {
                for x in 0..100000u64 {
                    COUNT.with(|c| c.set(c.get() + (x % i)));
                }
                COUNT.with(|c| c.get())
            })
        })
        .collect();
    let sums: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("{:?}", sums);
}
