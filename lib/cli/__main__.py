import logging
import os
import sys

# TensorFlow's start-up chatter (CPU features, absent CUDA drivers, retracing hints) is noise on a command line
# whose output is a table; its errors still show. Set before anything imports TensorFlow.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
logging.getLogger("tensorflow").setLevel(logging.ERROR)

from lib.cli import main

sys.exit(main())
