// Runs test tooling standalone (vendor fakes for `make demo`).
return 0;
