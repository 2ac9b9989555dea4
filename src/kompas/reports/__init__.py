"""Reports and plots (adapters): turn engine results into files people read or look at."""
